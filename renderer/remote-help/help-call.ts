import type { ParamsOf, ResultOf } from '../../electron/api/contract';
import {
  encodePeerMessage,
  parsePeerMessage,
  peerChannelLabel,
  type PeerMessage,
} from '../../foundation/remote-help-peer';
import { watchLink } from '../../foundation/call-link';

/**
 * The resident's end of one video call: the page's own RTCPeerConnection, the camera and microphone
 * the resident agreed to, and the data channel `help` the officer opens. The officer sends the
 * offer once they took the call; this side answers (docs/remote-help.md). Signalling goes out
 * through `sendSignal` (the kiosk service relays it via the platform). `close` stops every track
 * and the connection: nothing of the call is left in the page.
 *
 * Village links are slow: audio goes first (high priority), the video is capped at `maxVideoKbps`
 * and 320 lines, and the browser lowers its frame rate before its resolution. When the link cannot
 * carry even that (the browser's bandwidth estimate, its encoder limited by bandwidth, packets lost),
 * the video sender's track is dropped for the rest of the call and only the voice goes on.
 */
type CallQueued = ResultOf<'remoteHelp.start'>;
export type RtcSignal = ParamsOf<'remoteHelp.signal'>['signal'];

export interface HelpCallOptions {
  readonly queued: Pick<CallQueued, 'iceServers' | 'iceTransportPolicy'>;
  readonly local: MediaStream;
  readonly maxVideoKbps: number;
  readonly sendSignal: (signal: RtcSignal) => void;
  readonly onRemoteStream: (stream: MediaStream) => void;
  readonly onMessage: (message: PeerMessage) => void;
  readonly onChannelOpen: () => void;
  /** The connection failed or closed from the other side. */
  readonly onGone: () => void;
  /** The link could not carry our video: it was dropped, the voice goes on (foundation/call-link.ts). */
  readonly onAudioOnly: () => void;
}

export interface HelpCall {
  signal(signal: RtcSignal): Promise<void>;
  /** False when the channel is not open (yet) or the message is too large to send. */
  send(message: PeerMessage): boolean;
  readonly connection: RTCPeerConnection;
  close(): void;
}

/** The resident's video height (320p): enough for a face, little for a slow link. */
export const videoHeight = 320;

export function openHelpCall(options: HelpCallOptions): HelpCall {
  const connection = new RTCPeerConnection({
    iceServers: options.queued.iceServers.map((server) => ({ ...server })),
    iceTransportPolicy: options.queued.iceTransportPolicy,
  });
  let channel: RTCDataChannel | null = null;
  let closed = false;
  let stopWatch: (() => void) | null = null;
  const early: RTCIceCandidateInit[] = [];
  const remote = new MediaStream();

  connection.onicecandidate = (event) => {
    if (event.candidate === null) return;
    const { candidate, sdpMid, sdpMLineIndex } = event.candidate;
    options.sendSignal({ candidate: { candidate, sdpMid, sdpMLineIndex } });
  };
  connection.ontrack = (event) => {
    remote.addTrack(event.track);
    options.onRemoteStream(remote);
  };
  connection.ondatachannel = (event) => {
    if (event.channel.label !== peerChannelLabel || channel !== null) return;
    channel = event.channel;
    channel.onopen = () => options.onChannelOpen();
    channel.onmessage = (message) => {
      const parsed = parsePeerMessage(message.data);
      // Only what an officer may say to the terminal; anything else is dropped.
      if (parsed !== null && (parsed.t === 'point' || parsed.t === 'propose')) options.onMessage(parsed);
    };
    if (channel.readyState === 'open') options.onChannelOpen();
  };
  connection.onconnectionstatechange = () => {
    if (!closed && (connection.connectionState === 'failed' || connection.connectionState === 'closed'))
      options.onGone();
  };

  async function capSenders(): Promise<void> {
    for (const sender of connection.getSenders()) {
      const kind = sender.track?.kind;
      if (kind === undefined) continue;
      const parameters = sender.getParameters();
      const encodings = parameters.encodings.length > 0 ? parameters.encodings : [{}];
      for (const encoding of encodings) {
        if (kind === 'audio') {
          encoding.priority = 'high';
          encoding.networkPriority = 'high';
        } else {
          encoding.maxBitrate = options.maxVideoKbps * 1000;
          encoding.priority = 'low';
          const height = sender.track?.getSettings().height ?? videoHeight;
          encoding.scaleResolutionDownBy = Math.max(1, height / videoHeight);
        }
      }
      parameters.encodings = encodings;
      if (kind === 'video') parameters.degradationPreference = 'maintain-resolution';
      await sender.setParameters(parameters).catch(() => undefined); // a browser without a knob keeps its default
    }
  }

  // What the officer sends is taken in order: a candidate waits for the offer before it.
  let incoming: Promise<void> = Promise.resolve();
  async function take(signal: RtcSignal): Promise<void> {
    if (closed) return;
    if ('candidate' in signal) {
      if (connection.remoteDescription === null) early.push(signal.candidate);
      else await connection.addIceCandidate(signal.candidate).catch(() => undefined);
      return;
    }
    const { description } = signal;
    // The terminal only answers: an answer sent to it is not its business.
    if (description.type !== 'offer') return;
    await connection.setRemoteDescription(description);
    for (const candidate of early.splice(0)) await connection.addIceCandidate(candidate).catch(() => undefined);
    const transceivers = connection.getTransceivers();
    for (const track of options.local.getTracks()) {
      // Reuse the officer's offered transceiver for this kind, so the call has one audio and one video line.
      const free = transceivers.find(
        (t) => t.receiver.track.kind === track.kind && t.sender.track === null && t.currentDirection !== 'stopped',
      );
      if (free !== undefined) {
        await free.sender.replaceTrack(track);
        free.direction = 'sendrecv';
      } else {
        connection.addTrack(track, options.local);
      }
    }
    const answer = await connection.createAnswer();
    await connection.setLocalDescription(answer);
    if (answer.sdp !== undefined) options.sendSignal({ description: { type: 'answer', sdp: answer.sdp } });
    await capSenders();
    stopWatch ??= watchLink({
      getStats: async () => [...(await connection.getStats()).values()] as Array<Record<string, unknown>>,
      onAudioOnly: () => {
        if (closed) return;
        const video = connection.getSenders().find((sender) => sender.track?.kind === 'video');
        // The camera stays open for the resident's own picture; nothing of it is sent any more.
        void video?.replaceTrack(null).catch(() => undefined);
        options.onAudioOnly();
      },
    });
  }

  return {
    connection,
    signal(signal) {
      incoming = incoming.then(() => take(signal)).catch(() => undefined);
      return incoming;
    },
    send(message) {
      const text = encodePeerMessage(message);
      if (channel === null || channel.readyState !== 'open' || text === null) return false;
      channel.send(text);
      return true;
    },
    close() {
      if (closed) return;
      closed = true;
      stopWatch?.();
      channel?.close();
      for (const sender of connection.getSenders()) sender.track?.stop();
      for (const track of options.local.getTracks()) track.stop();
      for (const track of remote.getTracks()) track.stop();
      connection.close();
    },
  };
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { EventPayload, KioskInfo, ResultOf } from '../../electron/api/contract';
import type { Language } from '../../kiosk-config/config-schema';
import type { PeerMessage } from '../../foundation/remote-help-peer';
import type { CallFailure, KioskClient } from '../api/kiosk-client';
import { openHelpCall, videoHeight, type HelpCall, type RtcSignal } from './help-call';
import { buildMirror } from './mirror';
import { createProposalTargets, type ProposalTargets } from './proposals';

/**
 * 远程帮办 in the resident's page: 呼叫工作人员 → a choice (staff here, or video with the hall) →
 * consent (nothing opens before it) → waiting → the call, with the journey going on underneath.
 * Lives in the per-person tree: the wipe unmounts it, and the unmount closes the connection and
 * stops every track, so nothing of the call outlives the person (the service side ends the call at
 * the platform when the session ends).
 */
export type HelpPhase =
  | { readonly name: 'closed' }
  | { readonly name: 'choose' }
  | { readonly name: 'preparing' }
  | { readonly name: 'consent'; readonly callId: string; readonly recordingDays: number | null }
  | {
      readonly name: 'waiting';
      readonly callId: string;
      /** 1: the next call an officer takes (calls in progress are not counted). */
      readonly position: number;
      readonly expectedWaitSeconds: number | null;
    }
  | {
      readonly name: 'in-call';
      readonly callId: string;
      readonly officerName: string;
      readonly connected: boolean;
      /** The link was too slow for video: only the voice goes on (网络慢，只保留声音). */
      readonly audioOnly?: boolean;
    }
  | { readonly name: 'over'; readonly why: OverReason };

export type OverReason = 'no-answer' | 'unreachable' | 'no-camera' | 'officer-ended' | 'lost';

export interface Proposal {
  readonly proposalId: string;
  readonly itemId: string;
  readonly value: string;
}

export interface RemoteHelp {
  readonly offered: boolean;
  readonly phase: HelpPhase;
  readonly localStream: MediaStream | null;
  readonly remoteStream: MediaStream | null;
  /** The item the officer points at, or null. */
  readonly pointAt: string | null;
  readonly proposal: Proposal | null;
  /** The last proposal could not be taken (the answer did not pass the screen's checks). */
  readonly proposalRefused: boolean;
  readonly targets: ProposalTargets;
  /** The officer (display name) whose proposed answer the resident accepted; outlives the call, not the person. */
  readonly helpedBy: string | null;
  readonly open: () => void;
  readonly close: () => void;
  readonly chooseVideo: () => void;
  readonly consent: (agreed: boolean) => void;
  readonly giveUp: () => void;
  readonly hangUp: () => void;
  readonly answerProposal: (accepted: boolean) => void;
}

type CallEvent = EventPayload<'remoteHelp.event'>['event'];

/** Mirror changes are gathered this long before one is sent (well within the 500 ms the hall may wait). */
export const mirrorCoalesceMs = 80;

interface Live {
  readonly callId: string;
  readonly queued: ResultOf<'remoteHelp.start'>;
  /** The place in the hall's queue as last told (it moves up as calls before it are taken or given up). */
  place: { position: number; expectedWaitSeconds: number | null };
  consented: boolean;
  officerName: string | null;
  /** Signals that came before the resident agreed (the officer may be quick). */
  readonly early: RtcSignal[];
  call: HelpCall | null;
  local: MediaStream | null;
  mirrorSeq: number;
  lastMirror: string;
  stopMirror: (() => void) | null;
  /** Signals go out one after another: a candidate must never overtake the answer it belongs to. */
  signalChain: Promise<unknown>;
}

function languageOf(language: Language): 'zh' | 'en' {
  return language === 'zh-CN' ? 'zh' : 'en';
}

export function useRemoteHelp(deps: {
  readonly client: KioskClient;
  readonly info: KioskInfo;
  readonly language: Language;
  readonly ensureSession: () => Promise<void>;
  /** Staff here are called (the existing 呼叫工作人员). */
  readonly callStaffHere: () => void;
  /**
   * The officer pointed or proposed: someone is working on this resident's journey, so it counts
   * as activity for the inactivity wipe (a resident talking to the hall does not tap).
   */
  readonly onOfficerActivity?: () => void;
}): RemoteHelp {
  const { client, info } = deps;
  const offered = info.remoteHelp !== null;
  const [phase, setPhase] = useState<HelpPhase>({ name: 'closed' });
  const [localStream, setLocalStream] = useState<MediaStream | null>(null);
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);
  const [pointAt, setPointAt] = useState<string | null>(null);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [proposalRefused, setProposalRefused] = useState(false);
  const [helpedBy, setHelpedBy] = useState<string | null>(null);
  const targets = useMemo(() => createProposalTargets(), []);
  const live = useRef<Live | null>(null);
  /** The call being queued (between 和大厅工作人员视频 and the consent); null once dropped or done. */
  const starting = useRef<object | null>(null);
  const languageRef = useRef(deps.language);
  languageRef.current = deps.language;
  const depsRef = useRef(deps);
  depsRef.current = deps;

  /** Ends everything of the call in the page: connection, tracks, mirror, ring and proposals. */
  const teardown = useCallback(() => {
    const current = live.current;
    live.current = null;
    starting.current = null;
    if (current !== null) {
      current.stopMirror?.();
      current.call?.close();
      for (const track of current.local?.getTracks() ?? []) track.stop();
      current.early.length = 0;
    }
    setLocalStream(null);
    setRemoteStream(null);
    setPointAt(null);
    setProposal(null);
    setProposalRefused(false);
  }, []);
  useEffect(() => teardown, [teardown]);

  const sendMirror = useCallback((current: Live) => {
    const root = document.querySelector('main.content');
    if (root === null || current.call === null) return;
    const screen = document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? '';
    const mirror = buildMirror(root, screen, languageOf(languageRef.current));
    const text = JSON.stringify(mirror);
    if (text === current.lastMirror) return;
    current.mirrorSeq += 1;
    if (current.call.send({ t: 'mirror', seq: current.mirrorSeq, mirror })) current.lastMirror = text;
  }, []);

  /** The mirror follows the screen: every change, gathered for a moment, sent once. */
  const startMirror = useCallback(
    (current: Live) => {
      let timer: number | null = null;
      const flush = () => {
        timer = null;
        sendMirror(current);
      };
      const observer = new MutationObserver(() => {
        timer ??= window.setTimeout(flush, mirrorCoalesceMs);
      });
      // The journey area only: the call panel, the ring and the proposal card are outside it.
      const area = document.querySelector('main.content');
      if (area !== null)
        observer.observe(area, { subtree: true, childList: true, characterData: true, attributes: true });
      current.stopMirror = () => {
        observer.disconnect();
        if (timer !== null) window.clearTimeout(timer);
      };
      sendMirror(current);
    },
    [sendMirror],
  );

  const onPeerMessage = useCallback(
    (message: PeerMessage) => {
      switch (message.t) {
        case 'point':
          depsRef.current.onOfficerActivity?.();
          return setPointAt(message.itemId);
        case 'propose':
          depsRef.current.onOfficerActivity?.();
          if (!targets.has(message.itemId)) {
            live.current?.call?.send({ t: 'proposal-answered', proposalId: message.proposalId, accepted: false });
            return;
          }
          setProposalRefused(false);
          return setProposal({ proposalId: message.proposalId, itemId: message.itemId, value: message.value });
        case 'mirror':
        case 'proposal-answered':
          return; // the terminal's own messages, never taken from the officer
      }
    },
    [targets],
  );

  const connect = useCallback(
    (current: Live) => {
      if (current.local === null || current.call !== null) return;
      const maxVideoKbps = info.remoteHelp?.maxVideoKbps ?? 300;
      current.call = openHelpCall({
        queued: current.queued,
        local: current.local,
        maxVideoKbps,
        sendSignal: (signal) => {
          current.signalChain = current.signalChain.then(() =>
            client.call('remoteHelp.signal', { callId: current.callId, signal }),
          );
        },
        onRemoteStream: (stream) => {
          if (live.current === current) setRemoteStream(stream);
        },
        onMessage: (message) => {
          if (live.current === current) onPeerMessage(message);
        },
        onChannelOpen: () => {
          if (live.current !== current) return;
          setPhase((p) => (p.name === 'in-call' ? { ...p, connected: true } : p));
          startMirror(current);
        },
        onAudioOnly: () => {
          if (live.current === current) setPhase((p) => (p.name === 'in-call' ? { ...p, audioOnly: true } : p));
        },
        onGone: () => {
          if (live.current !== current) return;
          void client.call('remoteHelp.end', { callId: current.callId, reason: 'lost' });
          teardown();
          setPhase({ name: 'over', why: 'lost' });
        },
      });
      for (const signal of current.early.splice(0)) void current.call.signal(signal);
    },
    [client, info.remoteHelp, onPeerMessage, startMirror, teardown],
  );

  /** The camera and microphone, only after the consent is on record; then the connection. */
  const openMedia = useCallback(
    (current: Live) => {
      void navigator.mediaDevices
        .getUserMedia({
          audio: { echoCancellation: true, noiseSuppression: true },
          video: { height: { ideal: videoHeight }, frameRate: { max: 15 } },
        })
        .then(
          (stream) => {
            if (live.current !== current) {
              for (const track of stream.getTracks()) track.stop();
              return;
            }
            current.local = stream;
            setLocalStream(stream);
            connect(current);
          },
          () => {
            if (live.current !== current) return;
            void client.call('remoteHelp.end', { callId: current.callId, reason: 'gave-up' });
            teardown();
            setPhase({ name: 'over', why: 'no-camera' });
          },
        );
    },
    [client, connect, teardown],
  );

  // The hall's events for our call, as the service passes them on.
  useEffect(
    () =>
      client.on('remoteHelp.event', ({ callId, event }) => {
        const current = live.current;
        if (current === null || current.callId !== callId) return;
        onCallEvent(current, event);
      }),
    [client],
  );

  function onCallEvent(current: Live, event: CallEvent): void {
    switch (event.type) {
      case 'queued':
        current.place = { position: event.position, expectedWaitSeconds: event.expectedWaitSeconds };
        if (current.consented && current.officerName === null)
          setPhase({ name: 'waiting', callId: current.callId, ...current.place });
        return;
      case 'accepted':
        current.officerName = event.officer.displayName;
        if (current.consented)
          setPhase({
            name: 'in-call',
            callId: current.callId,
            officerName: event.officer.displayName,
            connected: false,
          });
        return;
      case 'signal':
        if (current.call === null) current.early.push(event.signal);
        else void current.call.signal(event.signal);
        return;
      case 'ended': {
        teardown();
        const why: OverReason | null =
          event.reason === 'no-answer'
            ? 'no-answer'
            : event.reason === 'lost'
              ? 'lost'
              : event.by === 'officer'
                ? 'officer-ended'
                : null;
        setPhase(why === null ? { name: 'closed' } : { name: 'over', why });
        return;
      }
    }
  }

  const failedToStart = (failure: CallFailure<'remoteHelp.start'>): HelpPhase => {
    switch (failure.kind) {
      case 'busy':
      case 'not-offered':
      case 'no-session':
      case 'no-call':
      case 'platform-refused':
      case 'platform-unreachable':
      case 'unavailable':
        return { name: 'over', why: 'unreachable' };
    }
  };

  return {
    offered,
    phase,
    localStream,
    remoteStream,
    pointAt,
    proposal,
    proposalRefused,
    targets,
    helpedBy,
    open() {
      if (!offered) return depsRef.current.callStaffHere();
      if (live.current === null && starting.current === null) setPhase({ name: 'choose' });
    },
    close() {
      if (live.current === null && starting.current === null) setPhase({ name: 'closed' });
    },
    chooseVideo() {
      if (live.current !== null || starting.current !== null) return;
      const attempt = {};
      starting.current = attempt;
      setPhase({ name: 'preparing' });
      void (async () => {
        await depsRef.current.ensureSession();
        const started = await client.call('remoteHelp.start', { language: languageRef.current });
        if (starting.current !== attempt) {
          // The page let go meanwhile (the wipe, the resident left): the call ends before anyone sees it.
          if (started.ok) void client.call('remoteHelp.end', { callId: started.value.callId, reason: 'gave-up' });
          return;
        }
        starting.current = null;
        if (!started.ok) return setPhase(failedToStart(started.error));
        const queued = started.value;
        live.current = {
          callId: queued.callId,
          queued,
          place: { position: queued.position, expectedWaitSeconds: queued.expectedWaitSeconds },
          consented: false,
          officerName: null,
          early: [],
          call: null,
          local: null,
          mirrorSeq: 0,
          lastMirror: '',
          stopMirror: null,
          signalChain: Promise.resolve(),
        };
        setPhase({
          name: 'consent',
          callId: queued.callId,
          recordingDays: queued.recording.enabled ? queued.recording.retentionDays : null,
        });
      })();
    },
    consent(agreed) {
      const current = live.current;
      if (current === null) return;
      if (!agreed) {
        // Declined: nothing was opened; the call ends and the staff here are called instead.
        void client.call('remoteHelp.end', { callId: current.callId, reason: 'gave-up' });
        teardown();
        setPhase({ name: 'closed' });
        depsRef.current.callStaffHere();
        return;
      }
      const recordingDays = current.queued.recording.enabled ? current.queued.recording.retentionDays : null;
      setPhase({ name: 'preparing' });
      void (async () => {
        // The platform keeps the consent (and to which recording) before anything opens.
        const told = await client.call('remoteHelp.consent', { callId: current.callId, recordingDays });
        if (live.current !== current) return;
        if (!told.ok) {
          void client.call('remoteHelp.end', { callId: current.callId, reason: 'gave-up' });
          teardown();
          return setPhase({ name: 'over', why: 'unreachable' });
        }
        current.consented = true;
        setPhase(
          current.officerName === null
            ? { name: 'waiting', callId: current.callId, ...current.place }
            : { name: 'in-call', callId: current.callId, officerName: current.officerName, connected: false },
        );
        openMedia(current);
      })();
    },
    giveUp() {
      const current = live.current;
      if (current !== null) void client.call('remoteHelp.end', { callId: current.callId, reason: 'gave-up' });
      teardown();
      setPhase({ name: 'closed' });
    },
    hangUp() {
      const current = live.current;
      if (current !== null) void client.call('remoteHelp.end', { callId: current.callId, reason: 'hung-up' });
      teardown();
      setPhase({ name: 'closed' });
    },
    answerProposal(accepted) {
      const current = live.current;
      const shown = proposal;
      if (current === null || shown === null) return;
      setProposal(null);
      const taken = accepted && targets.apply(shown.itemId, shown.value);
      setProposalRefused(accepted && !taken);
      current.call?.send({ t: 'proposal-answered', proposalId: shown.proposalId, accepted: taken });
      if (taken) {
        void client.call('remoteHelp.helped', { callId: current.callId });
        setHelpedBy(current.officerName);
      }
    },
  };
}

/**
 * The officer's side of remote help, run in the hall page (/hall/remote-help; bundled by
 * `npm run build` into dist/hall/remote-help-hall.js, the only script the page's CSP allows).
 * It keeps the queue live (long poll), takes a call, opens the camera and microphone, sends the
 * offer with the `help` data channel, shows the resident's video large and the mirror of the
 * resident's screen as text (textContent only, never markup from the terminal), and sends `point`
 * and `propose` messages. Media are capped for village links: audio first, video ≤ 300 kbps at
 * 320 lines, and when the link cannot carry even that, the officer's video is dropped and the voice
 * goes on (foundation/call-link.ts). Everything about a call is dropped from the page when it ends.
 */
import {
  encodePeerMessage,
  parsePeerMessage,
  peerChannelLabel,
  type MirrorItem,
  type MirrorScreen,
  type PeerMessage,
} from '../../foundation/remote-help-peer';
import { watchLink } from '../../foundation/call-link';
import { retryAfterMs } from './poll-retry';

/** docs/remote-help.md: video at most 300 kbps at 320 lines, so a village link keeps the voice. */
export const maxVideoBitrate = 300_000;
export const maxVideoHeight = 320;

interface QueueAnswer {
  readonly version: number;
  readonly waiting: ReadonlyArray<{
    callId: string;
    terminalId: string;
    servicePoint: string | null;
    waitingSeconds: number;
  }>;
  readonly current: string | null;
}

interface AcceptAnswer {
  readonly callId: string;
  readonly terminalId: string;
  readonly iceServers: RTCIceServer[];
  readonly iceTransportPolicy: RTCIceTransportPolicy;
}

type OfficerEvent =
  | {
      type: 'signal';
      signal: { description: { type: 'offer' | 'answer'; sdp: string } } | { candidate: RTCIceCandidateInit };
    }
  | { type: 'ended'; by: string; reason: string };

const roleLabels: Record<MirrorItem['role'], string> = {
  heading: '标题',
  text: '文字',
  button: '按钮',
  choice: '选项',
  field: '填写项',
};

const endLabels: Record<string, string> = {
  'hung-up': '通话已挂断。',
  'gave-up': '村民已放弃等待。',
  'no-answer': '呼叫超时，无人接听。',
  'session-ended': '村民已离开终端，通话结束。',
  lost: '连接中断，通话结束。',
};

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`remote help page: #${id} missing`);
  return found as T;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Scales the video down to at most `maxVideoHeight` lines and caps its bitrate; audio goes first. */
export function capSenders(senders: readonly RTCRtpSender[], videoHeight: number): Promise<void[]> {
  return Promise.all(
    senders.map(async (sender) => {
      const kind = sender.track?.kind;
      const params = sender.getParameters();
      if (params.encodings.length === 0) params.encodings = [{}];
      for (const encoding of params.encodings) {
        if (kind === 'video') {
          encoding.maxBitrate = maxVideoBitrate;
          encoding.scaleResolutionDownBy = Math.max(1, videoHeight / maxVideoHeight);
          encoding.priority = 'low';
          encoding.networkPriority = 'low';
        } else {
          encoding.priority = 'high';
          encoding.networkPriority = 'high';
        }
      }
      await sender.setParameters(params);
    }),
  );
}

function start(): void {
  const csrf = document.querySelector<HTMLInputElement>('#rh-token input[name="_csrf"]')?.value ?? '';
  const queueStatus = element<HTMLParagraphElement>('rh-queue-status');
  const queueNotice = element<HTMLParagraphElement>('rh-queue-notice');
  const queueList = element<HTMLUListElement>('rh-queue-list');
  const callSection = element<HTMLElement>('rh-call');
  const callTitle = element<HTMLElement>('rh-call-title');
  const callStatus = element<HTMLParagraphElement>('rh-call-status');
  const remoteVideo = element<HTMLVideoElement>('rh-remote');
  const localVideo = element<HTMLVideoElement>('rh-local');
  const screenName = element<HTMLParagraphElement>('rh-screen');
  const mirrorList = element<HTMLOListElement>('rh-mirror');
  const proposeForm = element<HTMLFormElement>('rh-propose');
  const proposeTarget = element<HTMLSpanElement>('rh-propose-target');
  const proposeValue = element<HTMLInputElement>('rh-propose-value');
  const proposeSend = element<HTMLButtonElement>('rh-propose-send');
  const proposalStatus = element<HTMLParagraphElement>('rh-proposal-status');

  const post = (path: string, fields: Record<string, string> = {}) =>
    fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: csrf }),
    });

  // ---------------------------------------------------------------- the queue

  let queue: QueueAnswer = { version: 0, waiting: [], current: null };
  let queueReadAt = performance.now();
  let inCall = false;
  /** Why the queue shown may be out of date (busy, signed out, …); null while its polls are answered. */
  let pollProblem: string | null = null;

  const renderQueue = () => {
    const elapsed = Math.floor((performance.now() - queueReadAt) / 1000);
    queueStatus.textContent =
      pollProblem ??
      (queue.waiting.length === 0 ? '现在没有等待的呼叫。' : `有 ${queue.waiting.length} 个呼叫在等待。`);
    queueList.replaceChildren(
      ...queue.waiting.map((call) => {
        const li = document.createElement('li');
        li.dataset['callId'] = call.callId;
        const where = document.createElement('span');
        where.textContent = `${call.servicePoint ?? '（未登记服务点）'} · 终端 ${call.terminalId}`;
        const waited = document.createElement('span');
        waited.className = 'note';
        waited.textContent = `已等待 ${call.waitingSeconds + elapsed} 秒`;
        const accept = document.createElement('button');
        accept.type = 'button';
        accept.className = 'ok';
        accept.textContent = '接听';
        accept.disabled = inCall;
        accept.addEventListener('click', () => void acceptCall(call.callId));
        li.append(where, waited, accept);
        return li;
      }),
    );
  };
  setInterval(renderQueue, 1000);

  let firstQueueAnswer = true;
  const queueLoop = async () => {
    for (;;) {
      try {
        const response = await fetch(`/hall/remote-help/queue?version=${queue.version}`, {
          credentials: 'same-origin',
        });
        if (response.status === 200 && response.headers.get('content-type')?.includes('json') === true) {
          queue = (await response.json()) as QueueAnswer;
          queueReadAt = performance.now();
          pollProblem = null;
          // A call this officer answered from a page that is gone (reloaded, closed) cannot go on here.
          // Judged once, on the page's first answer: later answers arrive while this page accepts a
          // call itself (the accept releases every queue poll before its own answer is read), and
          // ending `current` then would hang up the call just taken.
          if (firstQueueAnswer && !inCall && queue.current !== null)
            void post(`/hall/remote-help/calls/${queue.current}/end`);
          firstQueueAnswer = false;
          renderQueue();
          continue;
        }
        const wait = retryAfterMs(response);
        if (wait === null) {
          // A sign-in page (the session ended) or a refusal: polling on would not help.
          pollProblem = '登录已过期，请刷新页面重新登录。';
          renderQueue();
          return;
        }
        pollProblem =
          response.status === 409
            ? '此页面在另一个窗口也打开着，这里的呼叫列表稍后更新。'
            : '服务器繁忙，稍后自动重试。';
        renderQueue();
        await delay(wait);
        continue;
      } catch {
        pollProblem = '与服务器的连接中断，正在重试…';
        renderQueue();
      }
      await delay(2000);
    }
  };

  // ---------------------------------------------------------------- one call

  let pc: RTCPeerConnection | null = null;
  let channel: RTCDataChannel | null = null;
  let media: MediaStream | null = null;
  let callId: string | null = null;
  let mirrorSeq = -1;
  let pointed: string | null = null;
  let fieldChosen: string | null = null;

  const send = (message: PeerMessage) => {
    // encodePeerMessage refuses what the terminal's parser would drop (oversized).
    const text = encodePeerMessage(message);
    if (text !== null && channel?.readyState === 'open') channel.send(text);
  };

  /**
   * Signals go out one after the other: the terminal must read the offer before the candidates
   * gathered for it, and parallel requests could overtake one another.
   */
  let signalChain: Promise<unknown> = Promise.resolve();
  const sendSignal = (signal: unknown): Promise<unknown> => {
    const id = callId;
    if (id === null) return signalChain;
    signalChain = signalChain
      .then(() => post(`/hall/remote-help/calls/${id}/signals`, { signal: JSON.stringify(signal) }))
      .catch(() => undefined);
    return signalChain;
  };

  const renderMirror = (mirror: MirrorScreen) => {
    screenName.textContent = `村民现在的页面：${mirror.screen}`;
    mirrorList.replaceChildren(
      ...mirror.items.map((item, index) => {
        const li = document.createElement('li');
        li.dataset['itemId'] = item.id;
        li.dataset['role'] = item.role;
        if (item.id === pointed) li.classList.add('pointed');
        if (item.id === fieldChosen) li.classList.add('selected-field');
        const role = document.createElement('span');
        role.className = 'role';
        role.textContent = roleLabels[item.role];
        const button = document.createElement('button');
        button.type = 'button';
        button.disabled = false;
        // Text only: whatever the terminal sent is shown, never interpreted.
        button.textContent = `${item.label}${item.value === undefined ? '' : `：${item.value}`}${item.selected === true ? ' ✓' : ''}${item.disabled === true ? '（不可用）' : ''}`;
        button.addEventListener('click', () => {
          pointed = item.id;
          send({ t: 'point', itemId: item.id });
          // A choice belongs to the field before it (a question's group of choices): choosing it
          // prepares that field's proposal with the choice's words, for the officer to send.
          const field =
            item.role === 'field'
              ? item
              : item.role === 'choice'
                ? mirror.items.slice(0, index).findLast((i) => i.role === 'field')
                : undefined;
          if (field !== undefined) {
            fieldChosen = field.id;
            proposeTarget.textContent = field.label;
            if (item.role === 'choice') proposeValue.value = item.label;
            proposeValue.disabled = false;
            proposeSend.disabled = false;
          }
          renderMirror(mirror);
        });
        li.append(role, button);
        return li;
      }),
    );
  };

  const onPeerMessage = (data: unknown) => {
    const message = parsePeerMessage(data);
    if (message === null) return;
    switch (message.t) {
      case 'mirror':
        // A late copy of an older screen never replaces a newer one.
        if (message.seq <= mirrorSeq) return;
        mirrorSeq = message.seq;
        renderMirror(message.mirror);
        return;
      case 'proposal-answered':
        proposalStatus.textContent = message.accepted ? '村民已接受您填写的内容。' : '村民没有接受，请再说明一下。';
        return;
      case 'point':
      case 'propose':
        // Only the officer sends these; a terminal sending them is ignored.
        return;
      default: {
        const unknown: never = message;
        return unknown;
      }
    }
  };

  /** Stops watching whether the link still carries the officer's video (set while a call runs). */
  let stopLinkWatch: (() => void) | null = null;
  let audioOnly = false;

  /** Drops everything of the call from the page: media, peer connection, mirror, proposals. */
  const endCall = (message: string) => {
    stopLinkWatch?.();
    stopLinkWatch = null;
    audioOnly = false;
    delete callSection.dataset['audioOnly'];
    channel?.close();
    pc?.close();
    for (const track of media?.getTracks() ?? []) track.stop();
    pc = null;
    channel = null;
    media = null;
    callId = null;
    mirrorSeq = -1;
    pointed = null;
    fieldChosen = null;
    remoteVideo.srcObject = null;
    localVideo.srcObject = null;
    mirrorList.replaceChildren();
    screenName.textContent = '还没有收到村民的屏幕。';
    proposeTarget.textContent = '（先在上面点一个填写项）';
    proposeValue.value = '';
    proposeValue.disabled = true;
    proposeSend.disabled = true;
    proposalStatus.textContent = '';
    callStatus.textContent = '';
    delete callSection.dataset['path'];
    callSection.hidden = true;
    inCall = false;
    // Beside the queue's own line, which the page redraws every second.
    queueNotice.textContent = message;
    renderQueue();
  };

  /** Ends the call here and tells the platform, so the resident is not left waiting. */
  const hangUp = (message: string) => {
    const id = callId;
    endCall(message);
    if (id !== null) void post(`/hall/remote-help/calls/${id}/end`);
  };

  const eventsLoop = async (id: string, connection: RTCPeerConnection) => {
    let after = 0;
    const early: RTCIceCandidateInit[] = [];
    while (callId === id) {
      let events: Array<{ seq: number; event: OfficerEvent }> = [];
      try {
        const response = await fetch(`/hall/remote-help/calls/${id}/events?after=${after}`, {
          credentials: 'same-origin',
        });
        const wait = retryAfterMs(response);
        if (wait !== null) {
          await delay(wait);
          continue;
        }
        if (response.status !== 200) {
          if (callId === id) endCall('通话已结束。');
          return;
        }
        events = ((await response.json()) as { events: typeof events }).events;
      } catch {
        await delay(1000);
        continue;
      }
      for (const { seq, event } of events) {
        after = seq;
        if (event.type === 'ended') {
          if (callId === id) endCall(endLabels[event.reason] ?? '通话已结束。');
          return;
        }
        if ('description' in event.signal) {
          try {
            await connection.setRemoteDescription(event.signal.description);
          } catch {
            if (callId === id) hangUp('村民的终端回复无法接通，已挂断。');
            return;
          }
          for (const candidate of early.splice(0)) await connection.addIceCandidate(candidate).catch(() => undefined);
        } else if (connection.remoteDescription === null) {
          // A candidate that overtook the answer waits for it.
          early.push(event.signal.candidate);
        } else await connection.addIceCandidate(event.signal.candidate).catch(() => undefined);
      }
    }
  };

  /** Shows how the media travel (direct or through the relay) and how much arrives. */
  const watchPath = async (id: string, connection: RTCPeerConnection) => {
    while (callId === id) {
      const stats = await connection.getStats();
      let received = 0;
      let pairId: string | undefined;
      stats.forEach((s: { type: string; bytesReceived?: number; selectedCandidatePairId?: string }) => {
        if (s.type === 'inbound-rtp') received += s.bytesReceived ?? 0;
        if (s.type === 'transport') pairId = s.selectedCandidatePairId;
      });
      const pair = pairId === undefined ? undefined : (stats.get(pairId) as { localCandidateId?: string } | undefined);
      const local =
        pair?.localCandidateId === undefined
          ? undefined
          : (stats.get(pair.localCandidateId) as { candidateType?: string } | undefined);
      if (local?.candidateType !== undefined) {
        callSection.dataset['path'] = local.candidateType === 'relay' ? 'relay' : 'direct';
        callSection.dataset['bytesReceived'] = String(received);
        callStatus.textContent = `已接通（${local.candidateType === 'relay' ? '经中继服务器' : '直连'}），已收到 ${Math.round(received / 1024)} KB${audioOnly ? '。网络慢，只保留声音：您的视频已停止发送。' : ''}`;
      }
      await delay(1000);
    }
  };

  const acceptCall = async (id: string) => {
    if (inCall) return;
    inCall = true;
    queueNotice.textContent = '';
    renderQueue();
    const response = await post(`/hall/remote-help/calls/${id}/accept`);
    if (response.status !== 200) {
      inCall = false;
      const problem = (await response.json().catch(() => ({}))) as { title?: string };
      queueNotice.textContent = problem.title ?? '接听失败。';
      renderQueue();
      return;
    }
    const call = (await response.json()) as AcceptAnswer;
    callId = call.callId;
    callSection.hidden = false;
    callTitle.textContent = `与终端 ${call.terminalId} 通话中`;
    callStatus.textContent = '正在接通…';
    try {
      media = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { height: { ideal: 480 }, frameRate: { max: 15 } },
      });
    } catch {
      // The resident would otherwise wait for an officer who can never connect.
      hangUp('打不开摄像头或麦克风，已挂断。请检查设备后再接听。');
      return;
    }
    localVideo.srcObject = media;
    const connection = new RTCPeerConnection({
      iceServers: call.iceServers,
      iceTransportPolicy: call.iceTransportPolicy,
    });
    pc = connection;
    // Audio first: added first, and sent at high priority (capSenders).
    const senders = [...media.getAudioTracks(), ...media.getVideoTracks()].map((track) =>
      connection.addTrack(track, media as MediaStream),
    );
    channel = connection.createDataChannel(peerChannelLabel, { ordered: true });
    channel.addEventListener('message', (event) => onPeerMessage(event.data));
    connection.addEventListener('icecandidate', (event) => {
      const c = event.candidate;
      if (c !== null && c.candidate !== '')
        void sendSignal({ candidate: { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } });
    });
    connection.addEventListener('track', (event) => {
      remoteVideo.srcObject = event.streams[0] ?? new MediaStream([event.track]);
    });
    let offer: RTCSessionDescriptionInit;
    try {
      offer = await connection.createOffer();
      await connection.setLocalDescription(offer);
    } catch {
      hangUp('浏览器无法发起通话，已挂断。');
      return;
    }
    // The offer is queued before any candidate the local description starts gathering.
    void sendSignal({ description: { type: 'offer', sdp: offer.sdp ?? '' } });
    await capSenders(senders, media.getVideoTracks()[0]?.getSettings().height ?? 480);
    void eventsLoop(call.callId, connection);
    void watchPath(call.callId, connection);
    stopLinkWatch = watchLink({
      getStats: async () => [...(await connection.getStats()).values()] as Array<Record<string, unknown>>,
      onAudioOnly: () => {
        if (pc !== connection) return;
        audioOnly = true;
        callSection.dataset['audioOnly'] = 'true';
        const video = connection.getSenders().find((sender) => sender.track?.kind === 'video');
        void video?.replaceTrack(null).catch(() => undefined);
      },
    });
  };

  element<HTMLButtonElement>('rh-hangup').addEventListener('click', () => hangUp('您已挂断。'));
  element<HTMLButtonElement>('rh-stop-point').addEventListener('click', () => {
    pointed = null;
    send({ t: 'point', itemId: null });
    for (const li of mirrorList.querySelectorAll('li.pointed')) li.classList.remove('pointed');
  });
  proposeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (fieldChosen === null) return;
    send({
      t: 'propose',
      proposalId: crypto.randomUUID(),
      itemId: fieldChosen,
      value: proposeValue.value.slice(0, 500),
    });
    proposalStatus.textContent = '已发给村民，等村民确认…';
  });
  // Leaving the page hangs up, so the resident is not left waiting for a `lost`.
  window.addEventListener('pagehide', () => {
    if (callId !== null)
      navigator.sendBeacon(`/hall/remote-help/calls/${callId}/end`, new URLSearchParams({ _csrf: csrf }));
  });

  renderQueue();
  void queueLoop();
}

start();

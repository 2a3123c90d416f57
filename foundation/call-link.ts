/**
 * Whether a video call's link can still carry our video, judged from the browser's own WebRTC
 * statistics (getStats). Village links are slow: when the video would starve the voice, the side
 * that sends it drops its video and keeps the sound. Dependency-free and DOM-free, so the resident's
 * page, the hall page and the unit tests judge alike (docs/remote-help.md, "Media for village links").
 *
 * Signals, per sample (one getStats every few seconds):
 * - the sending side's bandwidth estimate (`candidate-pair.availableOutgoingBitrate`, bits/s);
 * - why the encoder lowers the video (`outbound-rtp.qualityLimitationReason`, video only);
 * - packets lost on the way, as the far side reports it (`remote-inbound-rtp.packetsLost`) against
 *   packets sent (`outbound-rtp.packetsSent`), both counted since the start of the call.
 */
export interface LinkSample {
  readonly availableOutgoingBps: number | null;
  readonly videoLimitation: 'none' | 'cpu' | 'bandwidth' | 'other' | null;
  readonly packetsSent: number;
  readonly packetsLost: number;
}

export interface LinkPolicy {
  /** Below this estimate video and voice cannot both pass (Opus ~32 kbit/s plus the smallest useful video). */
  readonly minVideoBps: number;
  /** More than this share of packets lost in an interval is a link in trouble. */
  readonly maxLossRatio: number;
  /** An interval with fewer packets than this says nothing about loss (a quiet moment). */
  readonly minPacketsForLoss: number;
  /** This many troubled intervals in a row: the trouble is not a passing dip (the start of a call ramps up). */
  readonly sustainedIntervals: number;
}

export const villageLinkPolicy: LinkPolicy = {
  minVideoBps: 100_000,
  maxLossRatio: 0.1,
  minPacketsForLoss: 50,
  sustainedIntervals: 3,
};

/** How often a side samples its statistics (with `sustainedIntervals` 3: about 6 s of trouble before video goes). */
export const linkSampleIntervalMs = 2_000;

/** One getStats report as plain objects (RTCStatsReport's values), reduced to a sample. */
export function readLinkSample(stats: Iterable<Readonly<Record<string, unknown>>>): LinkSample {
  let availableOutgoingBps: number | null = null;
  let videoLimitation: LinkSample['videoLimitation'] = null;
  let packetsSent = 0;
  let packetsLost = 0;
  // The pair in use is the one the transport names; where it names none, a nominated pair that
  // succeeded (several may have, during ICE restarts: the transport's word is the one to trust).
  let selectedPairId: unknown = null;
  const pairEstimates = new Map<unknown, number>();
  const number = (value: unknown): number | null =>
    typeof value === 'number' && Number.isFinite(value) ? value : null;
  for (const s of stats) {
    switch (s['type']) {
      case 'transport':
        if (typeof s['selectedCandidatePairId'] === 'string') selectedPairId = s['selectedCandidatePairId'];
        break;
      case 'candidate-pair':
        if (s['nominated'] === true && s['state'] === 'succeeded') {
          const bps = number(s['availableOutgoingBitrate']);
          if (bps !== null) {
            pairEstimates.set(s['id'], bps);
            availableOutgoingBps = bps;
          }
        }
        break;
      case 'outbound-rtp': {
        packetsSent += number(s['packetsSent']) ?? 0;
        const reason = s['qualityLimitationReason'];
        if (
          s['kind'] === 'video' &&
          (reason === 'none' || reason === 'cpu' || reason === 'bandwidth' || reason === 'other')
        )
          videoLimitation = reason;
        break;
      }
      case 'remote-inbound-rtp':
        packetsLost += Math.max(0, number(s['packetsLost']) ?? 0);
        break;
      default:
        break;
    }
  }
  if (selectedPairId !== null) availableOutgoingBps = pairEstimates.get(selectedPairId) ?? availableOutgoingBps;
  return { availableOutgoingBps, videoLimitation, packetsSent, packetsLost };
}

/** Whether the interval from `before` to `now` was one of trouble for video. */
export function troubled(before: LinkSample, now: LinkSample, policy: LinkPolicy = villageLinkPolicy): boolean {
  const estimate = now.availableOutgoingBps;
  if (estimate !== null && estimate < policy.minVideoBps) return true;
  // The encoder already gives up quality for lack of bandwidth, and the estimate leaves little for it.
  if (now.videoLimitation === 'bandwidth' && (estimate === null || estimate < 2 * policy.minVideoBps)) return true;
  const sent = now.packetsSent - before.packetsSent;
  const lost = now.packetsLost - before.packetsLost;
  return sent >= policy.minPacketsForLoss && lost / sent > policy.maxLossRatio;
}

/**
 * 'audio-only' once the last `sustainedIntervals` intervals of `samples` (oldest first) were all
 * troubled; otherwise 'video'. Callers keep audio-only for the rest of the call: a link that could
 * not carry the video would start to fail again as soon as the video came back.
 */
export function linkVerdict(
  samples: readonly LinkSample[],
  policy: LinkPolicy = villageLinkPolicy,
): 'video' | 'audio-only' {
  if (samples.length < policy.sustainedIntervals + 1) return 'video';
  const recent = samples.slice(-(policy.sustainedIntervals + 1));
  for (let i = 1; i < recent.length; i++) {
    const before = recent[i - 1];
    const now = recent[i];
    if (before === undefined || now === undefined || !troubled(before, now, policy)) return 'video';
  }
  return 'audio-only';
}

/**
 * Samples a call's statistics every `linkSampleIntervalMs` and says once when the link cannot
 * carry our video any more (`linkVerdict`); then it stops. Returns the stop. The resident's page
 * and the hall page each watch what they send.
 */
export function watchLink(options: {
  readonly getStats: () => Promise<Iterable<Readonly<Record<string, unknown>>>>;
  readonly onAudioOnly: () => void;
  readonly setInterval?: (run: () => void, ms: number) => unknown;
  readonly clearInterval?: (handle: unknown) => void;
}): () => void {
  const every = options.setInterval ?? ((run, ms) => setInterval(run, ms));
  const clear = options.clearInterval ?? ((handle) => clearInterval(handle as ReturnType<typeof setInterval>));
  const samples: LinkSample[] = [];
  let stopped = false;
  let busy = false;
  const stop = () => {
    stopped = true;
    clear(handle);
  };
  const handle = every(() => {
    if (busy || stopped) return; // a slow getStats is not asked again on top of itself
    busy = true;
    void options
      .getStats()
      .then((stats) => {
        if (stopped) return;
        samples.push(readLinkSample(stats));
        if (samples.length > 10) samples.shift();
        if (linkVerdict(samples) === 'audio-only') {
          stop();
          options.onAudioOnly();
        }
      })
      .catch(() => undefined) // a closing connection has no statistics: the call's end stops the watch
      .finally(() => {
        busy = false;
      });
  }, linkSampleIntervalMs);
  return stop;
}

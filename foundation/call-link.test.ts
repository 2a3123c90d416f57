import { describe, expect, it } from 'vitest';
import { linkVerdict, readLinkSample, troubled, villageLinkPolicy, watchLink, type LinkSample } from './call-link';

const good: LinkSample = { availableOutgoingBps: 1_200_000, videoLimitation: 'none', packetsSent: 0, packetsLost: 0 };
/** Samples two seconds apart: `packets` sent and `lost` in each interval, the rest as given. */
function series(count: number, each: Partial<LinkSample> & { sent?: number; lost?: number }): LinkSample[] {
  const out: LinkSample[] = [];
  let sent = 0;
  let lost = 0;
  for (let i = 0; i < count; i++) {
    out.push({ ...good, ...each, packetsSent: sent, packetsLost: lost });
    sent += each.sent ?? 200;
    lost += each.lost ?? 0;
  }
  return out;
}

describe('readLinkSample (Chromium getStats values)', () => {
  it('takes the estimate of the pair in use, the video limitation, and packets sent and lost', () => {
    const sample = readLinkSample([
      { type: 'candidate-pair', nominated: false, state: 'waiting', availableOutgoingBitrate: 9 },
      { type: 'candidate-pair', nominated: true, state: 'succeeded', availableOutgoingBitrate: 85_000 },
      { type: 'outbound-rtp', kind: 'audio', packetsSent: 500 },
      { type: 'outbound-rtp', kind: 'video', packetsSent: 1_500, qualityLimitationReason: 'bandwidth' },
      { type: 'remote-inbound-rtp', kind: 'audio', packetsLost: 20 },
      { type: 'remote-inbound-rtp', kind: 'video', packetsLost: 180 },
      { type: 'inbound-rtp', kind: 'video', packetsLost: 999 }, // what we receive is the other side's business
    ]);
    expect(sample).toEqual({
      availableOutgoingBps: 85_000,
      videoLimitation: 'bandwidth',
      packetsSent: 2_000,
      packetsLost: 200,
    });
  });

  it('takes the pair the transport selected when more than one succeeded, wherever it stands', () => {
    const slow = {
      type: 'candidate-pair',
      id: 'CPa',
      nominated: true,
      state: 'succeeded',
      availableOutgoingBitrate: 40_000,
    };
    const fast = {
      type: 'candidate-pair',
      id: 'CPb',
      nominated: true,
      state: 'succeeded',
      availableOutgoingBitrate: 900_000,
    };
    const selected = (id: string) => ({ type: 'transport', selectedCandidatePairId: id });
    expect(readLinkSample([selected('CPa'), slow, fast]).availableOutgoingBps).toBe(40_000);
    expect(readLinkSample([fast, slow, selected('CPb')]).availableOutgoingBps).toBe(900_000);
  });

  it('knows nothing where the browser says nothing (no pair in use yet, odd values)', () => {
    expect(
      readLinkSample([
        { type: 'candidate-pair', nominated: true, state: 'in-progress', availableOutgoingBitrate: 50 },
        { type: 'outbound-rtp', kind: 'video', packetsSent: 'many', qualityLimitationReason: 'weather' },
        { type: 'remote-inbound-rtp', packetsLost: -3 },
      ]),
    ).toEqual({ availableOutgoingBps: null, videoLimitation: null, packetsSent: 0, packetsLost: 0 });
  });
});

describe('linkVerdict', () => {
  it('keeps video on a good link, and early on (not enough samples to judge)', () => {
    expect(linkVerdict(series(10, {}))).toBe('video');
    expect(linkVerdict(series(3, { availableOutgoingBps: 40_000 }))).toBe('video');
  });

  it('drops to audio only when the estimate stays below what video and voice need', () => {
    expect(linkVerdict(series(4, { availableOutgoingBps: 60_000 }))).toBe('audio-only');
  });

  it('drops to audio only when the encoder is limited by bandwidth and the estimate is low', () => {
    expect(linkVerdict(series(4, { videoLimitation: 'bandwidth', availableOutgoingBps: 150_000 }))).toBe('audio-only');
    expect(linkVerdict(series(4, { videoLimitation: 'bandwidth', availableOutgoingBps: null }))).toBe('audio-only');
    // Limited by bandwidth on a link with room (the estimate still ramping up at the start): video stays.
    expect(linkVerdict(series(4, { videoLimitation: 'bandwidth', availableOutgoingBps: 600_000 }))).toBe('video');
    // Limited by the CPU: not the link's fault.
    expect(linkVerdict(series(4, { videoLimitation: 'cpu', availableOutgoingBps: 150_000 }))).toBe('video');
  });

  it('drops to audio only when many packets are lost, interval after interval', () => {
    expect(linkVerdict(series(4, { sent: 200, lost: 40 }))).toBe('audio-only');
    expect(linkVerdict(series(4, { sent: 200, lost: 10 }))).toBe('video');
    // A quiet interval (few packets) says nothing about loss.
    expect(linkVerdict(series(4, { sent: 20, lost: 10 }))).toBe('video');
  });

  it('a passing dip is not enough: only trouble in each of the last intervals counts', () => {
    const dip = [...series(3, {}), ...series(2, { availableOutgoingBps: 40_000 })];
    expect(linkVerdict(dip)).toBe('video');
    const recovered = [...series(4, { availableOutgoingBps: 40_000 }), { ...good, packetsSent: 1e6 }];
    expect(linkVerdict(recovered)).toBe('video');
  });

  it('judges an interval by what happened in it, not since the call began', () => {
    const before: LinkSample = { ...good, packetsSent: 10_000, packetsLost: 3_000 }; // a bad start long ago
    expect(troubled(before, { ...good, packetsSent: 10_200, packetsLost: 3_001 }, villageLinkPolicy)).toBe(false);
    expect(troubled(before, { ...good, packetsSent: 10_200, packetsLost: 3_050 }, villageLinkPolicy)).toBe(true);
  });
});

/** A hand-driven interval: `tick()` runs what was scheduled, as the page's timer would every 2 s. */
function manualInterval() {
  let run: (() => void) | null = null;
  return {
    setInterval: (fn: () => void) => {
      run = fn;
      return 1;
    },
    clearInterval: () => {
      run = null;
    },
    get running() {
      return run !== null;
    },
    async tick() {
      run?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const report = (availableOutgoingBitrate: number, packetsSent: number) => [
  { type: 'candidate-pair', nominated: true, state: 'succeeded', availableOutgoingBitrate },
  { type: 'outbound-rtp', kind: 'video', packetsSent, qualityLimitationReason: 'none' },
];

describe('watchLink', () => {
  it('says audio only once after the link stayed too slow for video, then stops sampling', async () => {
    const timer = manualInterval();
    const estimates = [900_000, 900_000, 60_000, 60_000, 60_000, 60_000, 60_000];
    let asked = 0;
    let said = 0;
    watchLink({
      getStats: () => Promise.resolve(report(estimates[asked] ?? 60_000, 200 * asked++)),
      onAudioOnly: () => (said += 1),
      ...timer,
    });
    for (let i = 0; i < 4; i++) await timer.tick();
    expect(said).toBe(0); // two good samples, then two slow ones: could be a passing dip
    await timer.tick();
    expect(said).toBe(1); // the third slow one in a row
    expect(timer.running).toBe(false);
    await timer.tick();
    expect(said).toBe(1);
    expect(asked).toBe(5);
  });

  it('keeps video on a good link, and stops when told (the call ended)', async () => {
    const timer = manualInterval();
    let said = 0;
    let asked = 0;
    const stop = watchLink({
      getStats: () => Promise.resolve(report(900_000, 200 * asked++)),
      onAudioOnly: () => (said += 1),
      ...timer,
    });
    for (let i = 0; i < 10; i++) await timer.tick();
    expect(said).toBe(0);
    stop();
    expect(timer.running).toBe(false);
  });

  it('a connection without statistics (closing) is no verdict', async () => {
    const timer = manualInterval();
    let said = 0;
    watchLink({ getStats: () => Promise.reject(new Error('closed')), onAudioOnly: () => (said += 1), ...timer });
    for (let i = 0; i < 6; i++) await timer.tick();
    expect(said).toBe(0);
  });
});

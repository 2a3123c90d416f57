import { describe, expect, it } from 'vitest';
import { benchDecodeFrames } from './id-card-bench';

describe('benchDecodeFrames', () => {
  it('decodes every frame and reports a throughput', () => {
    const r = benchDecodeFrames(50, 37);
    expect(r.frames).toBe(50);
    expect(r.bytes).toBe(50 * 1295);
    expect(r.framesPerSecond).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { manualMonotonicClock, manualTimers } from './clock';

describe('manualTimers', () => {
  it('runs timers as advance reaches them, in due order, each at its own time', () => {
    const clock = manualMonotonicClock();
    const timers = manualTimers(clock);
    const ran: string[] = [];
    timers.setTimeout(() => ran.push(`b@${clock.elapsedMs()}`), 200);
    timers.setTimeout(() => {
      ran.push(`a@${clock.elapsedMs()}`);
      // Set while running: due from now, so within this advance only if it still fits.
      timers.setTimeout(() => ran.push(`c@${clock.elapsedMs()}`), 50);
    }, 100);
    const cleared = timers.setTimeout(() => ran.push('cleared'), 10);
    timers.clearTimeout(cleared);
    timers.advance(149);
    expect(ran).toEqual(['a@100']);
    expect(clock.elapsedMs()).toBe(149);
    timers.advance(100);
    expect(ran).toEqual(['a@100', 'c@150', 'b@200']);
    expect(clock.elapsedMs()).toBe(249);
    expect(timers.pending()).toBe(0);
  });

  it('fire runs only what is due; fireNext moves the clock to the next one', () => {
    const clock = manualMonotonicClock();
    const timers = manualTimers(clock);
    let runs = 0;
    timers.setTimeout(() => (runs += 1), 3_600_000);
    timers.fire();
    expect(runs).toBe(0);
    expect(timers.nextDueInMs()).toBe(3_600_000);
    timers.fireNext();
    expect(runs).toBe(1);
    expect(clock.elapsedMs()).toBe(3_600_000);
    expect(timers.nextDueInMs()).toBeNull();
  });
});

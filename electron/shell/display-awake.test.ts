import { describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { keepDisplayAwake } from './display-awake';

describe('keepDisplayAwake', () => {
  it('prevents display sleep and undoes exactly that blocker', () => {
    const blocker = { start: vi.fn(() => 42), stop: vi.fn() };
    const stop = keepDisplayAwake(blocker, recordingLog());
    expect(blocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(blocker.stop).not.toHaveBeenCalled();
    stop();
    expect(blocker.stop).toHaveBeenCalledWith(42);
  });
});

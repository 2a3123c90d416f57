import { describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { startLocalCrashReporter } from './crash-reporter';

describe('startLocalCrashReporter', () => {
  it('keeps crash dumps local: never uploads, no server address', () => {
    const crashReporter = { start: vi.fn() };
    startLocalCrashReporter(crashReporter, recordingLog());
    expect(crashReporter.start).toHaveBeenCalledTimes(1);
    const options = crashReporter.start.mock.calls[0]?.[0] as { uploadToServer?: boolean; submitURL?: string };
    expect(options.uploadToServer).toBe(false);
    expect(options.submitURL ?? '').toBe('');
  });
});

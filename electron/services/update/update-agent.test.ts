import { describe, expect, it } from 'vitest';
import { manualClock, manualMonotonicClock } from '../../../foundation/clock';
import { recordingLog } from '../../../foundation/log';
import {
  classifyAptError,
  runUpdate,
  updateConfigSchema,
  withinQuietHours,
  type HealthAnswer,
  type UpdatePorts,
} from './update-agent';

const config = updateConfigSchema.parse({
  package: 'village-kiosk',
  assignedVersion: '0.2.0',
  quietHours: { from: '00:00', to: '23:59' },
  healthTimeoutMinutes: 1,
  healthUrl: 'http://127.0.0.1:8787/healthz',
});

function fakeSystem(overrides: Partial<UpdatePorts> & { healthAfter?: HealthAnswer | null } = {}) {
  let installed = '0.1.0';
  const kept = new Set<string>(['0.1.0']);
  const calls: string[] = [];
  const clock = manualClock(new Date(2026, 11, 2, 3, 0).getTime());
  const monotonic = manualMonotonicClock();
  const ports: UpdatePorts = {
    installedVersion: async () => installed,
    refreshIndex: async () => ({ ok: true, value: undefined }),
    availableVersions: async () => ['0.2.0'],
    keepRelease: async (v) => {
      kept.add(v);
      calls.push(`keep ${v}`);
      return { ok: true, value: undefined };
    },
    hasKeptRelease: async (v) => kept.has(v),
    install: async (v) => {
      calls.push(`install ${v}`);
      installed = v;
      return { ok: true, value: undefined };
    },
    reinstallKept: async (v) => {
      calls.push(`reinstall ${v}`);
      installed = v;
      return { ok: true, value: undefined };
    },
    backupDatabase: async () => {
      calls.push('backup');
      return { ok: true, value: '/data/backups/x.sqlite' };
    },
    restartServices: async () => {
      calls.push('restart');
    },
    health: async () =>
      calls.includes(`install 0.2.0`) && !calls.includes('reinstall 0.1.0')
        ? overrides.healthAfter !== undefined
          ? overrides.healthAfter
          : { version: installed, status: 'ok', sessionActive: false }
        : { version: installed, status: 'ok', sessionActive: false },
    compareVersions: async (a, b) => a.localeCompare(b),
    sleep: async (ms) => {
      clock.advance(ms);
      monotonic.advance(ms);
    },
    writeReport: async (report) => {
      calls.push(`report ${report.outcome}`);
    },
    ...overrides,
  };
  return { ports, calls, clock, time: { clock, monotonic }, installed: () => installed };
}

describe('the update agent', () => {
  it('backs up, installs, restarts and reports installed when the new version is healthy', async () => {
    const system = fakeSystem();
    const report = await runUpdate(config, system.ports, { ...system.time, log: recordingLog() });
    expect(report).toMatchObject({ outcome: 'installed', installedVersion: '0.2.0', targetVersion: '0.2.0' });
    expect(system.calls).toEqual(['keep 0.2.0', 'backup', 'install 0.2.0', 'restart', 'report installed']);
  });

  it('reinstalls the kept release when the new one is not healthy in time', async () => {
    const system = fakeSystem({ healthAfter: null });
    const report = await runUpdate(config, system.ports, { ...system.time, log: recordingLog() });
    expect(report.outcome).toBe('rolled-back');
    expect(report.reason).toMatch(/not healthy within 1 min \(the services do not answer\); 0\.1\.0 reinstalled/);
    expect(system.installed()).toBe('0.1.0');
  });

  it('rolls back when a device that worked before fails its self-test after the update', async () => {
    const system = fakeSystem({
      healthAfter: { version: '0.2.0', status: 'ok', sessionActive: false, devices: { printer: 'error' } },
    });
    const health = system.ports.health.bind(system.ports);
    system.ports.health = async () => {
      const answer = await health();
      return answer?.version === '0.1.0' ? { ...answer, devices: { printer: 'ready' } } : answer;
    };
    const report = await runUpdate(config, system.ports, { ...system.time, log: recordingLog() });
    expect(report.outcome).toBe('rolled-back');
    expect(report.reason).toMatch(/device self-test failed after the update: printer/);
  });

  it('never installs during a resident session or outside the quiet hours', async () => {
    const busy = fakeSystem({ health: async () => ({ version: '0.1.0', status: 'ok', sessionActive: true }) });
    expect((await runUpdate(config, busy.ports, { ...busy.time, log: recordingLog() })).outcome).toBe('deferred');
    const night = updateConfigSchema.parse({ ...config, quietHours: { from: '01:00', to: '02:00' } });
    const late = fakeSystem();
    const report = await runUpdate(night, late.ports, { ...late.time, log: recordingLog() });
    expect(report).toMatchObject({ outcome: 'deferred', reason: 'outside the quiet hours 01:00–02:00' });
    expect([...busy.calls, ...late.calls].some((c) => c.startsWith('install'))).toBe(false);
  });

  it('refuses a repository not signed by the county key and leaves the installed version', async () => {
    const system = fakeSystem({
      refreshIndex: async () => ({
        ok: false,
        error: classifyAptError(
          "W: GPG error: file:/repo stable InRelease: NO_PUBKEY 1234\nE: The repository 'file:/repo stable InRelease' is not signed.",
        ),
      }),
    });
    const report = await runUpdate(config, system.ports, { ...system.time, log: recordingLog() });
    expect(report.outcome).toBe('refused');
    expect(report.reason).toMatch(/not signed by the county's release key/);
    expect(system.installed()).toBe('0.1.0');
  });

  it('says a damaged or interrupted download is why nothing was installed', async () => {
    const system = fakeSystem({
      keepRelease: async () => ({
        ok: false,
        error: classifyAptError('E: Failed to fetch file:/repo/pool/x.deb  Hash Sum mismatch'),
      }),
    });
    const report = await runUpdate(config, system.ports, { ...system.time, log: recordingLog() });
    expect(report).toMatchObject({ outcome: 'failed', installedVersion: '0.1.0' });
    expect(report.reason).toMatch(/damaged or incomplete/);
  });

  it('does not update without a copy of the running release to roll back to', async () => {
    const system = fakeSystem({ hasKeptRelease: async () => false, availableVersions: async () => ['0.2.0'] });
    const report = await runUpdate(config, system.ports, { ...system.time, log: recordingLog() });
    expect(report.outcome).toBe('refused');
    expect(report.reason).toMatch(/no copy of the running release 0\.1\.0/);
  });

  it('knows quiet hours that wrap midnight', () => {
    const quiet = { from: '22:00', to: '05:00' };
    expect(withinQuietHours(quiet, new Date(2026, 0, 1, 23, 30))).toBe(true);
    expect(withinQuietHours(quiet, new Date(2026, 0, 1, 4, 59))).toBe(true);
    expect(withinQuietHours(quiet, new Date(2026, 0, 1, 12, 0))).toBe(false);
  });
});

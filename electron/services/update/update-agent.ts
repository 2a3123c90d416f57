import { z } from 'zod';
import { monotonicClock, type Clock, type MonotonicClock } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import type { TerminalUpdateReport } from '../../../platform/contract/api-schemas';

/**
 * The update agent's decisions, free of apt and HTTP so every path is tested with fakes
 * (the CLI's `kiosk update run` supplies the real apt-get, dpkg and /healthz):
 *   quiet hours? → idle screen? → refresh the signed index → assigned version newer? → keep a copy
 *   of the running release → back up the database → install → wait for healthy → else reinstall
 *   the kept release. Every run ends in one outcome the heartbeat carries to the platform.
 */
export const updateConfigSchema = z.strictObject({
  package: z.string().regex(/^[a-z0-9][a-z0-9.+-]+$/),
  /** The version the county assigned to this terminal; null = the newest the repository offers. */
  assignedVersion: z
    .string()
    .regex(/^[0-9][A-Za-z0-9.+~-]*$/)
    .nullable(),
  quietHours: z.strictObject({ from: z.string().regex(/^\d\d:\d\d$/), to: z.string().regex(/^\d\d:\d\d$/) }),
  healthTimeoutMinutes: z.number().positive().max(120),
  healthUrl: z.url(),
  /** The one-line APT source of the county repository (signed-by= its key). */
  sourcesList: z.string().min(1).default('/etc/village-kiosk/apt/village-kiosk.list'),
  /** Restarts the services after an install (postinst does it too where systemd runs). */
  restartCommand: z.array(z.string()).min(1).default(['systemctl', 'restart', 'village-kiosk.service']),
});
export type UpdateConfig = z.infer<typeof updateConfigSchema>;

/** What the heartbeat carries to the platform (the contract's one definition). */
export type UpdateReport = TerminalUpdateReport;
export type UpdateOutcome = UpdateReport['outcome'];

export interface HealthAnswer {
  readonly version: string;
  readonly status: string;
  readonly sessionActive: boolean;
  readonly devices?: Readonly<Record<string, string>>;
}

export type AptFailure = { readonly kind: 'signature' | 'corrupt' | 'network' | 'other'; readonly message: string };
type Step<T> = { ok: true; value: T } | { ok: false; error: AptFailure };

/** The system side, faked in unit tests. */
export interface UpdatePorts {
  installedVersion(): Promise<string | null>;
  /** apt-get update for the county source only. */
  refreshIndex(): Promise<Step<void>>;
  /** Versions of the package the (verified) index offers. */
  availableVersions(): Promise<string[]>;
  /** Keeps a verified copy of `version` for rolling back; true when one is kept. */
  keepRelease(version: string): Promise<Step<void>>;
  hasKeptRelease(version: string): Promise<boolean>;
  install(version: string): Promise<Step<void>>;
  /** Reinstalls a kept release (a downgrade). */
  reinstallKept(version: string): Promise<Step<void>>;
  backupDatabase(): Promise<Step<string>>;
  restartServices(): Promise<void>;
  health(): Promise<HealthAnswer | null>;
  compareVersions(a: string, b: string): Promise<number>;
  sleep(ms: number): Promise<void>;
  writeReport(report: UpdateReport): Promise<void>;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Quiet hours may wrap midnight (22:00–05:00); from = to means all day. Local time of the terminal. */
export function withinQuietHours(quiet: UpdateConfig['quietHours'], now: Date): boolean {
  const at = now.getHours() * 60 + now.getMinutes();
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return true;
  return from < to ? at >= from && at < to : at >= from || at < to;
}

/** Healthy for the new version: it answers, runs that version, and no device that worked before broke. */
export function healthyAfterUpdate(
  answer: HealthAnswer | null,
  version: string,
  devicesBefore: Readonly<Record<string, string>>,
): { healthy: boolean; why: string } {
  if (answer === null) return { healthy: false, why: 'the services do not answer' };
  if (answer.version !== version) return { healthy: false, why: `the services still run ${answer.version}` };
  if (answer.status !== 'ok') return { healthy: false, why: `the services report ${answer.status}` };
  const broken = Object.entries(devicesBefore)
    .filter(([, state]) => state === 'ready')
    .filter(([role]) => answer.devices?.[role] !== 'ready')
    .map(([role]) => role);
  if (broken.length > 0)
    return { healthy: false, why: `device self-test failed after the update: ${broken.join(', ')}` };
  return { healthy: true, why: '' };
}

export async function runUpdate(
  config: UpdateConfig,
  ports: UpdatePorts,
  /** `clock` for quiet hours and the report's time; `monotonic` for the health wait (an NTP step right after the restart must not cut it short). */
  deps: { clock: Clock; monotonic?: MonotonicClock; log: Log; pollMs?: number },
): Promise<UpdateReport> {
  const { log } = deps;
  const installed = (await ports.installedVersion()) ?? 'none';
  const report = async (outcome: UpdateOutcome, targetVersion: string | null, reason: string) => {
    const value: UpdateReport = {
      outcome,
      at: new Date(deps.clock.now()).toISOString(),
      installedVersion: (await ports.installedVersion()) ?? 'none',
      targetVersion,
      reason,
    };
    const level = outcome === 'failed' || outcome === 'refused' || outcome === 'rolled-back' ? 'error' : 'info';
    log[level]({ outcome, from: installed, to: targetVersion, reason }, 'update agent');
    await ports.writeReport(value);
    return value;
  };

  if (!withinQuietHours(config.quietHours, new Date(deps.clock.now())))
    return report('deferred', null, `outside the quiet hours ${config.quietHours.from}–${config.quietHours.to}`);
  const before = await ports.health();
  if (before?.sessionActive === true) return report('deferred', null, 'a resident is using the terminal');

  const refreshed = await ports.refreshIndex();
  if (!refreshed.ok) return report('refused', null, describeAptFailure('the repository index', refreshed.error));
  const offered = await ports.availableVersions();
  let target = config.assignedVersion;
  if (target === null) {
    let newest: string | null = null;
    for (const version of offered)
      if (newest === null || (await ports.compareVersions(version, newest)) > 0) newest = version;
    target = newest;
  }
  if (target === null) return report('failed', null, `the repository offers no ${config.package}`);
  if (!offered.includes(target))
    return report('failed', target, `the repository does not offer the assigned version ${target}`);
  if (installed !== 'none' && !(await ports.hasKeptRelease(installed))) {
    // First run on this release: keep it while the repository still offers it.
    if (offered.includes(installed)) await ports.keepRelease(installed);
  }
  if (installed === target) return report('up-to-date', target, `${target} is installed`);
  if (installed !== 'none' && !(await ports.hasKeptRelease(installed)))
    return report('refused', target, `no copy of the running release ${installed} to roll back to; not updating`);

  const downloaded = await ports.keepRelease(target);
  if (!downloaded.ok) return report('failed', target, describeAptFailure(`the ${target} package`, downloaded.error));
  const backup = await ports.backupDatabase();
  if (!backup.ok) return report('failed', target, `no database backup, so no update: ${backup.error.message}`);
  log.info({ backup: backup.value, from: installed, to: target }, 'update agent: database backed up, installing');

  const done = await ports.install(target);
  if (!done.ok) return report('failed', target, describeAptFailure(`installing ${target}`, done.error));
  await ports.restartServices();

  const devicesBefore = before?.devices ?? {};
  const elapsed = deps.monotonic ?? monotonicClock;
  const deadline = elapsed.elapsedMs() + config.healthTimeoutMinutes * 60_000;
  let last = { healthy: false, why: 'not checked' };
  while (elapsed.elapsedMs() < deadline) {
    last = healthyAfterUpdate(await ports.health(), target, devicesBefore);
    if (last.healthy) return report('installed', target, `${target} is running and healthy`);
    await ports.sleep(deps.pollMs ?? 2000);
  }
  log.error({ reason: last.why }, 'update agent: not healthy in time, rolling back');
  const back = await ports.reinstallKept(installed);
  if (!back.ok)
    return report('failed', target, `${target} unhealthy (${last.why}) and the rollback failed: ${back.error.message}`);
  await ports.restartServices();
  return report(
    'rolled-back',
    target,
    `${target} was not healthy within ${config.healthTimeoutMinutes} min (${last.why}); ${installed} reinstalled`,
  );
}

export function describeAptFailure(what: string, failure: AptFailure): string {
  switch (failure.kind) {
    case 'signature':
      return `${what} is not signed by the county's release key: ${failure.message}`;
    case 'corrupt':
      return `${what} is damaged or incomplete (interrupted download?): ${failure.message}`;
    case 'network':
      return `${what} could not be fetched: ${failure.message}`;
    case 'other':
      return `${what}: ${failure.message}`;
  }
}

/** apt-get's own words → what went wrong, so the report says why in one line. */
export function classifyAptError(output: string): AptFailure {
  const line =
    output
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /^(E|W|Err):/.test(l) && !/Some index files failed/.test(l)) ??
    output.trim().split('\n').pop() ??
    '';
  const message = line.slice(0, 240);
  if (/NO_PUBKEY|not signed|signature|BADSIG|EXPKEYSIG|Release file .* is not valid|NOSPLIT|InRelease/i.test(output))
    return { kind: 'signature', message };
  if (
    /Hash Sum mismatch|Size mismatch|File has unexpected size|corrupt|unexpected end of file|short read/i.test(output)
  )
    return { kind: 'corrupt', message };
  if (/Could not resolve|Connection|timed out|Failed to fetch|Unable to connect/i.test(output))
    return { kind: 'network', message };
  return { kind: 'other', message };
}

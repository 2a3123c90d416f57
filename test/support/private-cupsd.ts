import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeLoopbackPort, waitForPort } from '../../drivers/a4-printer/ipp-printer-simulator';
import { stopChild, trackChild, withParentDeath } from '../../drivers/simulators/child-process';

/**
 * A CUPS scheduler of the test's own: `cupsd -f` with its configuration, spool, cache, state and
 * logs in a mkdtemp folder, listening on a free loopback port only, with no sharing or browsing. It
 * lets a test run the same `lpadmin`/`cupsctl` commands a technician runs on a terminal (`-h`
 * points them here) and then look at every file the scheduler wrote. Administration needs no
 * password here (loopback only, throw-away); a terminal's own CUPS keeps its default policy.
 */
export interface PrivateCupsd {
  /** host:port, for `lpadmin -h`, `cupsctl -h`, `lpstat -h`. */
  readonly host: string;
  /** Everything cupsd writes lives under here. */
  readonly dir: string;
  queueUri(queue: string): string;
  close(): Promise<void>;
}

export async function startPrivateCupsd(): Promise<PrivateCupsd> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kiosk-cupsd-'));
  for (const sub of ['spool', 'spool/tmp', 'cache', 'state', 'log']) await mkdir(path.join(dir, sub));
  // cupsd started by root hands the spool to its User (lp) for the backends it runs.
  await chmod(dir, 0o755);
  await chmod(path.join(dir, 'spool/tmp'), 0o1777);
  const port = await freeLoopbackPort();
  const asRoot = process.getuid?.() === 0;
  await writeFile(
    path.join(dir, 'cups-files.conf'),
    [
      `ServerRoot ${dir}`,
      `RequestRoot ${dir}/spool`,
      `TempDir ${dir}/spool/tmp`,
      `CacheDir ${dir}/cache`,
      `StateDir ${dir}/state`,
      `ErrorLog ${dir}/log/error_log`,
      `AccessLog ${dir}/log/access_log`,
      `PageLog ${dir}/log/page_log`,
      'ServerBin /usr/lib/cups',
      'DataDir /usr/share/cups',
      ...(asRoot ? ['User lp', 'Group lp'] : []),
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'cupsd.conf'),
    `Listen 127.0.0.1:${port}
Browsing No
WebInterface No
DefaultAuthType None
LogLevel info
# Write job.cache at once, so what the scheduler keeps is on disk when the test looks.
DirtyCleanInterval 0
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Location /admin>
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
`,
  );
  const [command, prefix] = withParentDeath('/usr/sbin/cupsd');
  let stderr = '';
  const child: ChildProcess = spawn(
    command,
    [...prefix, '-f', '-c', path.join(dir, 'cupsd.conf'), '-s', path.join(dir, 'cups-files.conf')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  trackChild(child);
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk.toString('utf8');
  });
  try {
    await waitForPort('cupsd', port, child, () => stderr, 15_000);
  } catch (error) {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const host = `127.0.0.1:${port}`;
  return {
    host,
    dir,
    queueUri: (queue) => `ipp://${host}/printers/${queue}`,
    close: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

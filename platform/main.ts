/**
 * `npm run platform -- …`: runs the reference platform, and administers it on the same machine.
 *   [serve] [--port N] [--data DIR] [--host ADDR] [--tls-cert FILE --tls-key FILE] [--insecure-http]
 *           [--retention-days N] [--code CODE --code-terminal ID]
 *           [--stun-url URL]… [--turn-url URL]… [--turn-secret-file FILE] [--ice-relay-only]
 *           [--call-no-answer-seconds N]
 *   user add NAME --role officer|admin | user list | user reset-password NAME | user disable|enable NAME
 *   terminal code ID | terminal rekey ID | terminal list
 *   audit [--case NUMBER] [--limit N]
 * Exit codes: 0 done, 1 refused, 2 usage or local problem.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { pino } from 'pino';
import { embeddedCatalogue } from '../kiosk-config/catalogue';
import { registerAccountCommands } from './server/accounts/account-commands';
import { issueEnrolmentCode } from './server/enrolment-codes';
import { hallRoles } from './server/hall-routes';
import { openPlatformDb, PlatformStore } from './server/platform-db';
import { PlatformStartRefused, startPlatform } from './server/start-platform';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string, code: number): never => {
  process.stderr.write(`platform: ${line}\n`);
  throw new Exit(code);
};
const defaultDataDir = '.platform-data';
/** Who did it, for the audit log: commands run as an operating-system user on the platform machine. */
const cliActor = `cli:${userInfo().username}`;

/** Administration touches accounts, terminals and the audit log only: no data key needed. */
function withStore<T>(dataDir: string, work: (store: PlatformStore) => T): T {
  const db = openPlatformDb(resolve(dataDir), null);
  try {
    return work(new PlatformStore(db, null));
  } finally {
    db.close();
  }
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return fail(`${what} ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 2);
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * The TURN shared secret, from a file (owner-only, like any key) or the systemd credential
 * `turn-secret` (LoadCredential=/LoadCredentialEncrypted= in the unit); never from argv, where
 * every user on the machine could read it.
 */
function readTurnSecret(file: string | undefined): string | undefined {
  const credentials = process.env['CREDENTIALS_DIRECTORY'];
  const path = file ?? (credentials === undefined || credentials === '' ? undefined : join(credentials, 'turn-secret'));
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if (file === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return fail(`TURN secret ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 2);
  }
  if (text.length < 16) return fail(`TURN secret ${path}: shorter than 16 characters`, 2);
  return text;
}

const program = new Command('platform')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command('serve', { isDefault: true })
  .description('run the platform until SIGINT/SIGTERM')
  .option('--port <n>', 'port (0 picks a free one)', '8790')
  .option('--data <dir>', 'data folder', defaultDataDir)
  .option('--host <addr>', 'address to listen on; anything but loopback needs TLS or --insecure-http', '127.0.0.1')
  .option('--tls-cert <file>', 'PEM certificate chain: serve HTTPS')
  .option('--tls-key <file>', 'PEM private key of the certificate')
  .option('--insecure-http', 'serve plain HTTP on a network address (only behind a TLS proxy)')
  .option('--retention-days <n>', "days after a case is closed before the resident's data is deleted", '30')
  .option('--code <code>', 'accept this one-time enrolment code (agreed in advance)')
  .option('--code-terminal <id>', 'the terminal the --code is for (required with --code)')
  .option('--stun-url <url>', 'remote help: a STUN server for both sides of a call (repeatable)', collect, [])
  .option('--turn-url <url>', 'remote help: a TURN server (coturn, use-auth-secret) (repeatable)', collect, [])
  .option(
    '--turn-secret-file <file>',
    "remote help: the TURN server's static-auth-secret (default: the systemd credential turn-secret, if given)",
  )
  .option('--ice-relay-only', 'remote help: every call through the TURN server (no direct paths)')
  .option('--call-no-answer-seconds <n>', 'remote help: a call nobody answers ends after this long', '90')
  .option(
    '--call-recording-days <n>',
    'remote help: the county records calls and keeps them this many days (1–3650); the consent screen says so. Absent: nothing recorded',
  )
  .action(
    async (flags: {
      port: string;
      data: string;
      host: string;
      tlsCert?: string;
      tlsKey?: string;
      insecureHttp?: boolean;
      retentionDays: string;
      code?: string;
      codeTerminal?: string;
      stunUrl: string[];
      turnUrl: string[];
      turnSecretFile?: string;
      iceRelayOnly?: boolean;
      callNoAnswerSeconds: string;
      callRecordingDays?: string;
    }) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        fail(`--port: expected a port number, got "${flags.port}"`, 2);
      const retentionDays = Number(flags.retentionDays);
      if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 3650)
        fail(`--retention-days: expected 0–3650, got "${flags.retentionDays}"`, 2);
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
        fail('--tls-cert and --tls-key go together', 2);
      if (flags.code !== undefined && flags.codeTerminal === undefined)
        fail('--code needs --code-terminal ID: a code enrols one named terminal only', 2);
      const noAnswerSeconds = Number(flags.callNoAnswerSeconds);
      if (!Number.isInteger(noAnswerSeconds) || noAnswerSeconds < 10 || noAnswerSeconds > 3600)
        fail(`--call-no-answer-seconds: expected 10–3600, got "${flags.callNoAnswerSeconds}"`, 2);
      const recordingDays = flags.callRecordingDays === undefined ? null : Number(flags.callRecordingDays);
      if (recordingDays !== null && (!Number.isInteger(recordingDays) || recordingDays < 1 || recordingDays > 3650))
        fail(`--call-recording-days: expected 1–3650, got "${flags.callRecordingDays}"`, 2);
      const turnSecret = readTurnSecret(flags.turnSecretFile);
      if (flags.turnUrl.length > 0 && turnSecret === undefined)
        fail('--turn-url needs the shared secret: --turn-secret-file FILE, or the systemd credential turn-secret', 2);
      if (flags.iceRelayOnly === true && flags.turnUrl.length === 0) fail('--ice-relay-only needs a --turn-url', 2);
      const log = pino(
        { base: { app: 'village-platform' }, level: process.env['PLATFORM_LOG_LEVEL'] ?? 'info' },
        pino.destination(2),
      );
      let platform;
      try {
        platform = await startPlatform({
          port,
          host: flags.host,
          dataDir: resolve(flags.data),
          catalog: embeddedCatalogue,
          log,
          retention: { after: 'closed', graceMs: retentionDays * 86_400_000 },
          allowInsecureHttp: flags.insecureHttp === true,
          remoteHelp: {
            noAnswerSeconds,
            recording: recordingDays === null ? { enabled: false } : { enabled: true, retentionDays: recordingDays },
            ice: {
              stunUrls: flags.stunUrl,
              turnUrls: flags.turnUrl,
              ...(turnSecret === undefined ? {} : { turnSecret }),
              transportPolicy: flags.iceRelayOnly === true ? 'relay' : 'all',
            },
          },
          ...(flags.tlsCert === undefined || flags.tlsKey === undefined
            ? {}
            : { tls: { cert: readPem(flags.tlsCert, '--tls-cert'), key: readPem(flags.tlsKey, '--tls-key') } }),
        });
      } catch (error) {
        if (error instanceof PlatformStartRefused) return fail(error.message, 2);
        return fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`, 2);
      }
      out(`platform ready at ${platform.url}\nhall page: ${platform.url}/hall`);
      if (flags.code !== undefined && flags.codeTerminal !== undefined) {
        const terminalId = flags.codeTerminal;
        try {
          platform.createEnrolmentCode({ code: flags.code, terminalId, issuedBy: cliActor });
          out(`enrolment code accepted for terminal ${terminalId} (one use, 24 hours)`);
        } catch (error) {
          process.stderr.write(`platform: --code: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await platform.close();
    },
  );

registerAccountCommands(program, {
  roles: hallRoles,
  openDb: (dataDir) => openPlatformDb(resolve(dataDir), null),
  defaultDataDir,
  out,
  fail,
  secrets: { stdin: process.stdin, stderr: process.stderr },
  audit: (db, event) =>
    new PlatformStore(db, null).audit(
      {
        actor: cliActor,
        action: event.action,
        detail: `account ${event.subject}${event.detail === undefined ? '' : ` (${event.detail})`}`,
      },
      new Date(),
    ),
});

const terminal = program.command('terminal').description('terminals: enrolment codes, re-keying, the list');
for (const [verb, purpose] of [
  ['code', 'enrol'],
  ['rekey', 'rekey'],
] as const) {
  terminal
    .command(verb)
    .description(
      purpose === 'enrol'
        ? 'print a one-time code that enrols this (new) terminal, valid 24 hours'
        : 'allow an enrolled terminal a new key (reinstalled or replaced): print a one-time re-key code; receipts it signed before stay verifiable',
    )
    .argument('<terminal-id>')
    .option('--data <dir>', 'data folder', defaultDataDir)
    .action((terminalId: string, flags: { data: string }) =>
      withStore(flags.data, (store) => {
        const issued = issueEnrolmentCode(store, new Date(), { terminalId, purpose, issuedBy: cliActor });
        if (!issued.ok) return fail(issued.error, 1);
        out(
          `${purpose === 'rekey' ? 're-key' : 'enrolment'} code for ${terminalId}: ${issued.value} (one use, 24 hours)`,
        );
      }),
    );
}
terminal
  .command('list')
  .option('--data <dir>', 'data folder', defaultDataDir)
  .action((flags: { data: string }) =>
    withStore(flags.data, (store) => {
      for (const t of store.terminals()) {
        const head = store.auditHead(t.terminal_id);
        out(
          [
            t.terminal_id,
            t.fingerprint,
            `enrolled ${t.enrolled_at}`,
            `last seen ${t.last_seen_at ?? 'never'}`,
            head === undefined ? 'no audit head' : `audit head ${head.sequence}:${head.hash.slice(0, 12)}`,
          ].join('\t'),
        );
      }
    }),
  );

program
  .command('audit')
  .description('who saw or changed what, newest first')
  .option('--case <number>', 'one case only')
  .option('--limit <n>', 'how many lines', '100')
  .option('--data <dir>', 'data folder', defaultDataDir)
  .action((flags: { case?: string; limit: string; data: string }) =>
    withStore(flags.data, (store) => {
      const rows = store.auditEntries({
        limit: Number(flags.limit) || 100,
        ...(flags.case === undefined ? {} : { caseNumber: flags.case }),
      });
      for (const r of rows)
        out([r.at, r.actor, r.action, r.case_number ?? '-', r.terminal_id ?? '-', r.detail ?? ''].join('\t'));
    }),
  );

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof Exit) process.exitCode = error.code;
  else if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write(`platform: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

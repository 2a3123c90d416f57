import type { Command } from 'commander';
import { plainHttpRefusal } from '../../../foundation/loopback';
import { readSecret } from '../../../foundation/read-secret';
import { fail, type CliIo } from '../cli-io';
import { dataDirOf, dataOption, type DataOptions } from '../cli-options';
import { exitCodes } from '../exit-codes';

/**
 * `kiosk provision`: the first-start setup from the command line, for scripted roll-outs. The same
 * as the setup screen: terminal id and site, enrolment at a remote platform with its one-time code,
 * and both PINs (read from the terminal without echo, or two piped lines: staff, then technician;
 * never from arguments). Refused on a terminal that already has PINs.
 */
interface ProvisionOptions extends DataOptions {
  terminalId: string;
  terminalCode?: string;
  terminalName?: string;
  site: string;
  platform?: string;
  code?: string;
  config?: string;
}

export function registerProvisionCommand(program: Command, io: CliIo): void {
  dataOption(program.command('provision'))
    .description('first-start setup: terminal id, site, enrolment and both PINs (PINs from the terminal or stdin)')
    .requiredOption('--terminal-id <id>', 'the terminal id the platform knows (letters, digits, dashes)')
    .requiredOption('--site <name>', 'the service point name')
    .option('--terminal-code <code>', 'short code in local numbers (2–8 capitals or digits)')
    .option('--terminal-name <name>', "the terminal's name")
    .option('--platform <url>', 'a remote platform to enrol at (default: the embedded one)')
    .option('--code <code>', 'one-time enrolment code from the platform (with --platform)')
    .option('--config <file>', 'configuration file the kiosk starts with (merged over the embedded defaults)')
    .action(async (options: ProvisionOptions) => {
      const { loadConfig } = await import('../../services/config/config-loader');
      const { embeddedCatalogue } = await import('../../../kiosk-config/catalogue');
      const { applySiteConfig, readSiteConfig, saveSiteConfig } = await import('../../services/staff/site-config');
      const { openDatabase, storePaths } = await import('../../services/store/database');
      const { appendAudit, auditKeyPurpose } = await import('../../services/store/audit-log');
      const { readDataCipher } = await import('../store-access');
      const { createStaffAuth } = await import('../../services/staff/staff-auth');
      const { systemClock } = await import('../../../foundation/clock');
      const { silentLog } = await import('../../../foundation/log');

      const base = await loadConfig(options.config);
      if (!base.ok) fail(io, exitCodes.usage, `configuration error: ${base.error.message}`);
      if ((options.platform === undefined) !== (options.code === undefined))
        fail(
          io,
          exitCodes.usage,
          'provision: give --platform and --code together (or neither, for the embedded platform)',
        );
      if (options.platform !== undefined) {
        const refusal = plainHttpRefusal(options.platform);
        if (refusal !== null) fail(io, exitCodes.usage, `--platform ${options.platform}: ${refusal}`);
      }
      const dataDir = dataDirOf(options);
      const previous = readSiteConfig(dataDir);
      if (!previous.ok) fail(io, exitCodes.usage, previous.error);
      const earlier = previous.value?.config ?? {};
      const section = (name: string): Record<string, unknown> => {
        const value = earlier[name];
        return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
      };
      const file = {
        savedAt: new Date().toISOString(),
        savedBy: 'provision',
        config: {
          ...earlier,
          terminal: {
            ...section('terminal'),
            id: options.terminalId,
            ...(options.terminalCode === undefined ? {} : { code: options.terminalCode }),
            ...(options.terminalName === undefined ? {} : { name: options.terminalName }),
          },
          servicePoint: { ...section('servicePoint'), name: options.site },
          ...(options.platform === undefined ? {} : { platform: { mode: 'remote', url: options.platform } }),
        },
        halls: previous.value?.halls ?? {},
      };
      const applied = applySiteConfig(base.value, embeddedCatalogue, file);
      if (!applied.ok) fail(io, exitCodes.usage, applied.error.message);
      const config = applied.value.config;

      const db = openDatabase(storePaths(dataDir).database);
      if (!db.ok) fail(io, exitCodes.failed, `${dataDir}: cannot open the store (${db.error.kind})`);
      const cipher = readDataCipher(options, io, true, 'use the on-screen setup instead');
      const auditKey = cipher.deriveKey(auditKeyPurpose);
      const auth = createStaffAuth({
        db: db.value,
        audit: (entry) => appendAudit(db.value, auditKey, systemClock, entry),
        cardKey: () => {
          throw new Error('staff cards are not registered from the command line');
        },
        log: silentLog,
      });
      try {
        auth.forgetFactoryPins();
        if (auth.pinsSet())
          fail(io, exitCodes.failed, 'this terminal is already provisioned: change PINs in the technician console');
        const secrets = { stdin: process.stdin, stderr: process.stderr };
        const staffPin = await readSecret(secrets, 'staff PIN (4–8 digits): ');
        const technicianPin = await readSecret(secrets, 'technician PIN (4–8 digits, not the staff one): ');
        if (staffPin === null || technicianPin === null)
          fail(io, exitCodes.usage, 'no PINs given (type them, or pipe two lines: staff, then technician)');

        if (options.platform !== undefined && options.code !== undefined) {
          const { loadOrCreateTerminalKeys, writeEnrolment } =
            await import('../../services/platform-client/identity-store');
          const { enrol } = await import('../../services/platform-client/http-platform-client');
          const { describePortFailure } = await import('../../services/outbox/platform-port');
          const keys = loadOrCreateTerminalKeys(dataDir, cipher, silentLog);
          if (!keys.ok) fail(io, exitCodes.usage, keys.error.message);
          io.progress(`kiosk: asking ${options.platform} to enrol ${config.terminal.id} …`);
          const enrolled = await enrol(options.platform, options.code, {
            terminalId: config.terminal.id,
            privateKey: keys.value.privateKey,
            publicKey: keys.value.publicKey,
          });
          if (!enrolled.ok)
            fail(
              io,
              enrolled.error.kind === 'retryable' ? exitCodes.unreachable : exitCodes.failed,
              `enrol: ${enrolled.error.kind === 'retryable' ? 'cannot reach the platform' : 'refused by the platform'}: ${describePortFailure(enrolled.error)}`,
            );
          writeEnrolment(dataDir, {
            terminalId: enrolled.value.terminalId,
            platformUrl: options.platform.replace(/\/$/, ''),
            fingerprint: enrolled.value.fingerprint,
            enrolledAt: enrolled.value.enrolledAt,
            ...(enrolled.value.fleet === undefined ? {} : { fleet: enrolled.value.fleet }),
          });
          appendAudit(db.value, auditKey, systemClock, {
            actor: 'cli:provision',
            action: 'tech.enrol',
            details: { ok: true },
          });
        }
        const pins = await auth.setFirstPins({ staff: staffPin, technician: technicianPin }, 'cli:provision');
        if (!pins.ok)
          fail(
            io,
            exitCodes.usage,
            pins.error.kind === 'pin-format'
              ? 'a PIN is 4 to 8 digits'
              : pins.error.kind === 'pins-must-differ'
                ? 'the staff and technician PINs must differ (the PIN chooses the mode)'
                : 'this terminal is already provisioned',
          );
        auth.signOut('signed-out');
        const saved = saveSiteConfig(dataDir, file);
        if (!saved.ok) fail(io, exitCodes.failed, saved.error);
        io.out(`provisioned terminal ${config.terminal.id} at ${config.servicePoint.name}`);
      } finally {
        auth.close();
        db.value.close();
      }
    });
}

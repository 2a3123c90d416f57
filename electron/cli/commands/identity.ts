import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describePortFailure, type PortFailure } from '../../services/outbox/platform-port';
import { plainHttpRefusal } from '../../../foundation/loopback';
import type { ReceiptContents } from '../../../platform/contract/receipt-payload';
import type { ReceiptVerifyResponse } from '../../../platform/contract/api-schemas';
import { fail, CliExit, type CliIo } from '../cli-io';
import { dataDirOf, dataOption, type DataOptions } from '../cli-options';
import { exitCodes } from '../exit-codes';

/**
 * Terminal identity for technicians and hall staff:
 *   kiosk enrol --platform URL --code CODE [--data DIR] [--terminal-id ID | --config FILE]
 *   kiosk identity show [--data DIR] [--json]
 *   kiosk receipt verify PAYLOAD (--public-key FILE | --platform URL) [--json]
 * Exit codes (docs/cli.md): ok done / receipt valid, failed refused / receipt invalid, usage for bad
 * arguments or files, unreachable when the platform cannot be reached.
 */

function failureExit(io: CliIo, what: string, failure: PortFailure): never {
  if (failure.kind === 'retryable')
    return fail(io, exitCodes.unreachable, `${what}: cannot reach the platform (${failure.reason})`);
  return fail(io, exitCodes.failed, `${what}: refused by the platform: ${describePortFailure(failure)}`);
}

async function printReceipt(io: CliIo, receipt: ReceiptContents, code: string): Promise<void> {
  const { formatVerificationCode } = await import('../../../platform/contract/receipt-payload');
  io.out(`  terminal:          ${receipt.terminalId}`);
  io.out(`  application:       ${receipt.applicationId}`);
  io.out(`  local number:      ${receipt.localNumber}`);
  io.out(`  case number:       ${receipt.caseNumber ?? 'not yet known (printed offline)'}`);
  io.out(`  service:           ${receipt.serviceCode}`);
  io.out(`  issued at:         ${receipt.issuedAt}`);
  io.out(`  applicant:         ${receipt.applicant.maskedName} ${receipt.applicant.maskedIdNumber}`);
  io.out(`  verification code: ${formatVerificationCode(code)}`);
}

/** The platform answers only what the paper shows: case, service, masked name and status. */
function printPlatformAnswer(io: CliIo, answer: Extract<ReceiptVerifyResponse, { valid: true }>): void {
  io.out(`  case number:       ${answer.caseNumber ?? 'not yet known (printed offline)'}`);
  io.out(`  local number:      ${answer.localNumber}`);
  io.out(`  service:           ${answer.serviceCode}`);
  io.out(`  applicant:         ${answer.maskedName}`);
  io.out(
    answer.status === null
      ? '  platform:          the application has not reached the platform yet'
      : `  status:            ${answer.status}`,
  );
}

export function registerIdentityCommands(program: Command, io: CliIo): void {
  dataOption(program.command('enrol'))
    .description("enrol this terminal's key with the platform using a one-time code")
    .requiredOption('--platform <url>', 'platform base URL')
    .requiredOption('--code <code>', 'one-time enrolment code (e.g. K7QP-M2XD)')
    .option('--terminal-id <id>', 'terminal id (default: terminal.id from the configuration)')
    .option('--config <file>', 'configuration file to take the terminal id from')
    .option('--json', 'print the enrolment as one JSON object')
    .action(
      async (
        options: DataOptions & { platform: string; code: string; terminalId?: string; config?: string; json?: boolean },
      ) => {
        const { loadConfig } = await import('../../services/config/config-loader');
        const { loadOrCreateTerminalKeys, readEnrolment, samePlatform, writeEnrolment } =
          await import('../../services/platform-client/identity-store');
        const { enrol } = await import('../../services/platform-client/http-platform-client');
        const { storePaths } = await import('../../services/store/database');
        const { readOutboxStatus } = await import('../../services/outbox/outbox-status');
        const { openStoreReadOnly, readDataCipher } = await import('../store-access');
        const { silentLog } = await import('../../../foundation/log');
        let terminalId = options.terminalId;
        if (terminalId === undefined) {
          const config = await loadConfig(options.config);
          if (!config.ok) fail(io, exitCodes.usage, `configuration error: ${config.error.message}`);
          terminalId = config.value.terminal.id;
        }
        const refusal = plainHttpRefusal(options.platform);
        if (refusal !== null) fail(io, exitCodes.usage, `--platform ${options.platform}: ${refusal}`);
        const dataDir = dataDirOf(options);
        // Applications queued for one platform are never sent to another (as in the technician console).
        const before = readEnrolment(dataDir);
        const waiting = () => {
          if (before === null || samePlatform(before.platformUrl, options.platform)) return 0;
          if (!existsSync(storePaths(dataDir).database)) return 0;
          const db = openStoreReadOnly(options, io);
          try {
            return readOutboxStatus(db).depth;
          } finally {
            db.close();
          }
        };
        const refuseSwitch = (count: number) =>
          fail(
            io,
            exitCodes.failed,
            `enrol: ${count} item(s) still wait for ${before?.platformUrl ?? 'the current platform'}; they must never go to another platform: enrol elsewhere once the queue is empty`,
          );
        const queued = waiting();
        if (queued > 0) refuseSwitch(queued);
        const cipher = readDataCipher(options, io, true, 'enrol from the technician console instead');
        const keys = loadOrCreateTerminalKeys(dataDir, cipher, silentLog);
        if (!keys.ok) fail(io, exitCodes.usage, keys.error.message);
        io.progress(`kiosk: asking ${options.platform} to enrol ${terminalId} …`);
        const result = await enrol(options.platform, options.code, {
          terminalId,
          privateKey: keys.value.privateKey,
          publicKey: keys.value.publicKey,
        });
        if (!result.ok) failureExit(io, 'enrol', result.error);
        const queuedMeanwhile = waiting();
        if (queuedMeanwhile > 0) refuseSwitch(queuedMeanwhile);
        writeEnrolment(dataDir, {
          terminalId: result.value.terminalId,
          platformUrl: options.platform,
          fingerprint: result.value.fingerprint,
          enrolledAt: result.value.enrolledAt,
          ...(result.value.fleet === undefined ? {} : { fleet: result.value.fleet }),
        });
        if (options.json === true) {
          io.out(
            JSON.stringify({
              terminalId: result.value.terminalId,
              platformUrl: options.platform,
              fingerprint: keys.value.fingerprint,
              enrolledAt: result.value.enrolledAt,
            }),
          );
          return;
        }
        io.out(`enrolled terminal ${result.value.terminalId} with ${options.platform}`);
        io.out(`key fingerprint: ${keys.value.fingerprint}`);
      },
    );

  dataOption(
    program
      .command('identity')
      .description("show this terminal's public key, fingerprint and enrolment")
      .command('show'),
  )
    .option('--json', 'machine-readable output')
    .action(async (options: DataOptions & { json?: boolean }) => {
      const { loadPublicKey, readEnrolment } = await import('../../services/platform-client/identity-store');
      const { publicKeyBase64Url } = await import('../../../platform/contract/terminal-identity');
      const dataDir = dataDirOf(options);
      const keys = loadPublicKey(dataDir);
      if (!keys.ok) fail(io, keys.error.kind === 'missing' ? exitCodes.failed : exitCodes.usage, keys.error.message);
      const enrolment = readEnrolment(dataDir);
      const publicKey = publicKeyBase64Url(keys.value.publicKey);
      if (options.json === true) {
        io.out(JSON.stringify({ fingerprint: keys.value.fingerprint, publicKey, enrolment }));
        return;
      }
      io.out(`key fingerprint: ${keys.value.fingerprint}`);
      io.out(`public key:      ${publicKey}`);
      io.out(
        enrolment === null
          ? 'enrolment:       not enrolled'
          : `enrolment:       ${enrolment.terminalId} with ${enrolment.platformUrl} since ${enrolment.enrolledAt}`,
      );
    });

  program
    .command('receipt')
    .description('receipt tools')
    .command('verify')
    .description("check a receipt's QR payload, offline with the terminal's public key or through the platform")
    .argument('<payload>', 'the text of the receipt QR code (VK1.…)')
    .option('--public-key <file>', "terminal's public key (PEM, or 43 base64url characters)")
    .option('--platform <url>', 'ask this platform instead')
    .option('--json', 'machine-readable output')
    .action(async (payloadArg: string, options: { publicKey?: string; platform?: string; json?: boolean }) => {
      const { describeReceiptFailure, verificationCode, verifyReceiptPayload } =
        await import('../../../platform/contract/receipt-payload');
      const { parsePublicKey } = await import('../../../platform/contract/terminal-identity');
      const { receiptVerify } = await import('../../services/platform-client/http-platform-client');
      const payload = payloadArg.trim();
      if ((options.publicKey === undefined) === (options.platform === undefined))
        fail(io, exitCodes.usage, 'receipt verify: give exactly one of --public-key FILE or --platform URL');
      if (options.publicKey !== undefined) {
        let text: string;
        try {
          text = readFileSync(options.publicKey, 'utf8');
        } catch (error) {
          fail(
            io,
            exitCodes.usage,
            `${options.publicKey}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
          );
        }
        const key = parsePublicKey(text);
        if (!key.ok) fail(io, exitCodes.usage, `${options.publicKey}: ${key.error}`);
        const verified = verifyReceiptPayload(payload, key.value);
        if (!verified.ok) {
          const reason = describeReceiptFailure(verified.error);
          if (options.json === true) io.out(JSON.stringify({ valid: false, reason }));
          else io.out(`receipt INVALID: ${reason}`);
          throw new CliExit(exitCodes.failed);
        }
        const code = verificationCode(verified.value);
        if (options.json === true) {
          io.out(JSON.stringify({ valid: true, receipt: verified.value, verificationCode: code }));
          return;
        }
        io.out('receipt valid (checked offline with the terminal key)');
        await printReceipt(io, verified.value, code);
        return;
      }
      io.progress(`kiosk: asking ${options.platform ?? ''} about the receipt …`);
      const result = await receiptVerify(options.platform ?? '', { payload });
      if (!result.ok) failureExit(io, 'receipt verify', result.error);
      const answer = result.value;
      if (options.json === true) io.out(JSON.stringify(answer));
      if (!answer.valid) {
        if (options.json !== true) io.out(`receipt INVALID: ${answer.reason}`);
        throw new CliExit(exitCodes.failed);
      }
      if (options.json === true) return;
      io.out('receipt valid (checked by the platform)');
      printPlatformAnswer(io, answer);
    });
}

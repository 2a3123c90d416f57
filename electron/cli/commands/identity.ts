import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../services/config/config-loader';
import {
  loadOrCreateTerminalKeys,
  loadTerminalKeys,
  readEnrolment,
  writeEnrolment,
} from '../../services/platform-client/identity-store';
import { enrol, receiptVerify } from '../../services/platform-client/http-platform-client';
import type { PortFailure } from '../../services/outbox/platform-port';
import { silentLog } from '../../../foundation/log';
import {
  describeReceiptFailure,
  formatVerificationCode,
  verificationCode,
  verifyReceiptPayload,
  type ReceiptContents,
} from '../../../platform/contract/receipt-payload';
import type { ReceiptApplication } from '../../../platform/contract/api-schemas';
import { parsePublicKey, publicKeyBase64Url } from '../../../platform/contract/terminal-identity';
import { CliExit, type CliIo } from '../cli-io';

/**
 * Terminal identity for technicians and hall staff:
 *   kiosk enrol --platform URL --code CODE [--data DIR] [--terminal-id ID | --config FILE]
 *   kiosk identity show [--data DIR] [--json]
 *   kiosk receipt verify PAYLOAD (--public-key FILE | --platform URL) [--json]
 * Exit codes: 0 done / receipt valid, 1 refused / receipt invalid, 2 usage or local problem, 3 platform unreachable.
 */

function failureExit(io: CliIo, what: string, failure: PortFailure): never {
  if (failure.kind === 'retryable') {
    io.err(`kiosk: ${what}: cannot reach the platform (${failure.reason})`);
    throw new CliExit(3);
  }
  io.err(`kiosk: ${what}: refused by the platform (HTTP ${failure.status}): ${failure.reason}`);
  throw new CliExit(1);
}

function printReceipt(
  io: CliIo,
  receipt: ReceiptContents | null,
  code: string,
  application: ReceiptApplication | null | undefined,
): void {
  if (receipt !== null) {
    io.out(`  terminal:          ${receipt.terminalId}`);
    io.out(`  application:       ${receipt.applicationId}`);
    io.out(`  local number:      ${receipt.localNumber}`);
    io.out(`  case number:       ${receipt.caseNumber ?? 'not yet known (printed offline)'}`);
    io.out(`  service:           ${receipt.serviceCode}`);
    io.out(`  issued at:         ${receipt.issuedAt}`);
    io.out(`  applicant:         ${receipt.applicant.maskedName} ${receipt.applicant.maskedIdNumber}`);
  }
  io.out(`  verification code: ${formatVerificationCode(code)}`);
  if (application === null) io.out('  platform:          the application has not reached the platform yet');
  if (application !== null && application !== undefined) {
    if (receipt === null)
      io.out(`  applicant:         ${application.applicant.maskedName} ${application.applicant.maskedIdNumber}`);
    io.out(`  case number:       ${application.caseNumber} (platform)`);
    io.out(`  status:            ${application.status}`);
    io.out(`  documents:         ${application.documents.length}`);
  }
}

export function registerIdentityCommands(program: Command, io: CliIo): void {
  program
    .command('enrol')
    .description("enrol this terminal's key with the platform using a one-time code")
    .requiredOption('--platform <url>', 'platform base URL')
    .requiredOption('--code <code>', 'one-time enrolment code (e.g. K7QP-M2XD)')
    .option('--data <dir>', 'data folder', '.kiosk-data')
    .option('--terminal-id <id>', 'terminal id (default: terminal.id from the configuration)')
    .option('--config <file>', 'configuration file to take the terminal id from')
    .action(async (options: { platform: string; code: string; data: string; terminalId?: string; config?: string }) => {
      let terminalId = options.terminalId;
      if (terminalId === undefined) {
        const config = await loadConfig(options.config);
        if (!config.ok) {
          io.err(`kiosk: configuration error: ${config.error.message}`);
          throw new CliExit(2);
        }
        terminalId = config.value.terminal.id;
      }
      try {
        new URL(options.platform);
      } catch {
        io.err(`kiosk: --platform: not a URL: "${options.platform}"`);
        throw new CliExit(2);
      }
      const dataDir = resolve(options.data);
      const keys = loadOrCreateTerminalKeys(dataDir, silentLog);
      if (!keys.ok) {
        io.err(`kiosk: ${keys.error.message}`);
        throw new CliExit(2);
      }
      const result = await enrol(options.platform, options.code, {
        terminalId,
        privateKey: keys.value.privateKey,
        publicKey: keys.value.publicKey,
      });
      if (!result.ok) failureExit(io, 'enrol', result.error);
      writeEnrolment(dataDir, {
        terminalId: result.value.terminalId,
        platformUrl: options.platform,
        fingerprint: result.value.fingerprint,
        enrolledAt: result.value.enrolledAt,
        ...(result.value.fleet === undefined ? {} : { fleet: result.value.fleet }),
      });
      io.out(`enrolled terminal ${result.value.terminalId} with ${options.platform}`);
      io.out(`key fingerprint: ${keys.value.fingerprint}`);
    });

  program
    .command('identity')
    .description("show this terminal's public key, fingerprint and enrolment")
    .command('show')
    .option('--data <dir>', 'data folder', '.kiosk-data')
    .option('--json', 'machine-readable output')
    .action((options: { data: string; json?: boolean }) => {
      const dataDir = resolve(options.data);
      const keys = loadTerminalKeys(dataDir);
      if (!keys.ok) {
        io.err(`kiosk: ${keys.error.message}`);
        throw new CliExit(keys.error.kind === 'missing' ? 1 : 2);
      }
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
      const payload = payloadArg.trim();
      if ((options.publicKey === undefined) === (options.platform === undefined)) {
        io.err('kiosk: receipt verify: give exactly one of --public-key FILE or --platform URL');
        throw new CliExit(2);
      }
      if (options.publicKey !== undefined) {
        let text: string;
        try {
          text = readFileSync(options.publicKey, 'utf8');
        } catch (error) {
          io.err(`kiosk: ${options.publicKey}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
          throw new CliExit(2);
        }
        const key = parsePublicKey(text);
        if (!key.ok) {
          io.err(`kiosk: ${options.publicKey}: ${key.error}`);
          throw new CliExit(2);
        }
        const verified = verifyReceiptPayload(payload, key.value);
        if (!verified.ok) {
          const reason = describeReceiptFailure(verified.error);
          if (options.json === true) io.out(JSON.stringify({ valid: false, reason }));
          else io.out(`receipt INVALID: ${reason}`);
          throw new CliExit(1);
        }
        const code = verificationCode(verified.value);
        if (options.json === true) {
          io.out(JSON.stringify({ valid: true, receipt: verified.value, verificationCode: code }));
          return;
        }
        io.out('receipt valid (checked offline with the terminal key)');
        printReceipt(io, verified.value, code, undefined);
        return;
      }
      const result = await receiptVerify(options.platform ?? '', { payload });
      if (!result.ok) failureExit(io, 'receipt verify', result.error);
      const answer = result.value;
      if (options.json === true) io.out(JSON.stringify(answer));
      if (!answer.valid) {
        if (options.json !== true) io.out(`receipt INVALID: ${answer.reason}`);
        throw new CliExit(1);
      }
      if (options.json === true) return;
      io.out('receipt valid (checked by the platform)');
      printReceipt(io, answer.receipt, answer.verificationCode, answer.application);
    });
}

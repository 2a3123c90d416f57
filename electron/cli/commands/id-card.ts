import type { Command } from 'commander';
import type { CardReadEvent, IdCardServiceStatus, ReadProblem } from '../../../drivers/id-card/id-card-service';
import type { IdCard } from '../../../drivers/id-card/id-card-text';
import { ID_READER_FAULTS, isIdReaderFault } from '../../../drivers/id-card/id-reader-model';
import { maskIdNumber, maskName } from '../../../foundation/masking';
import { isSampleCardName, SAMPLE_CARD_NAMES } from '../../../drivers/id-card/sample-cards';
import { silentLog } from '../../../foundation/log';
import { assertNever } from '../../../foundation/result';
import { fail, type CliIo } from '../cli-io';
import { exitCodes } from '../exit-codes';
import { runSimulatorConsole } from '../simulator-console';

/**
 * `kiosk id-card read`: wait for a card on a reader and print it (masked unless --json), for
 * technicians checking a reader on site. `kiosk simulate id-reader`: a reader on a PTY.
 * Exit codes (docs/cli.md): ok read, failed reader/card problem (one line on stderr), usage bad arguments.
 */
interface ReadOptions {
  port: string;
  baud: string;
  timeout: string;
  json?: boolean;
}

/** The JSON printed by `--json`; key order is part of the contract. */
export function idCardJson(card: IdCard, photoBytes: number): Record<string, unknown> {
  const base = {
    cardType: card.cardType,
    name: card.name,
    gender: card.gender,
    nation: card.nation,
    nationCode: card.nationCode,
    birthDate: card.birthDate,
    address: card.address,
    idNumber: card.idNumber,
    idNumberValid: card.idNumberValid,
    issuer: card.issuer,
    validFrom: card.validFrom,
    validUntil: card.validUntil,
    photoBytes,
  };
  switch (card.cardType) {
    case 'resident':
      return base;
    case 'foreign-permanent':
      return { ...base, englishName: card.englishName, nationality: card.nationality };
    case 'hk-mo-tw-permit':
      return { ...base, passNumber: card.passNumber, issueCount: card.issueCount };
    default:
      return assertNever(card, 'card type');
  }
}

const CARD_TYPE_LABELS: Record<IdCard['cardType'], string> = {
  resident: 'resident ID card (居民身份证)',
  'foreign-permanent': "foreigner's permanent residence card 2017 (外国人永久居留身份证)",
  'hk-mo-tw-permit': 'HK/Macau/Taiwan residence permit (港澳台居民居住证)',
};

/** Human-readable lines with personal fields masked (a screen may be watched). */
export function maskedCardLines(card: IdCard, photoBytes: number): string[] {
  const maskAddress = (a: string | null) => (a === null ? '-' : `${[...a].slice(0, 6).join('')}****`);
  const lines = [
    `card type:   ${CARD_TYPE_LABELS[card.cardType]}`,
    `name:        ${maskName(card.name)}`,
    `gender:      ${card.gender}`,
    `nation:      ${card.nation === null ? '-' : `${card.nation} (${card.nationCode ?? ''})`}`,
    `birth date:  ${card.birthDate.slice(0, 4)}-**-**`,
    `address:     ${maskAddress(card.address)}`,
    `ID number:   ${maskIdNumber(card.idNumber)} (${card.idNumberValid ? 'check digit valid' : 'INVALID'})`,
    `issuer:      ${card.issuer}`,
    `valid:       ${card.validFrom} to ${card.validUntil}`,
    `photo:       ${photoBytes} bytes (WLT, not decoded)`,
  ];
  if (card.cardType === 'foreign-permanent')
    lines.push(`English name: ${maskName(card.englishName)}`, `nationality: ${card.nationality}`);
  if (card.cardType === 'hk-mo-tw-permit')
    lines.push(`pass number: ${maskIdNumber(card.passNumber)}`, `issue count: ${card.issueCount}`);
  return lines;
}

function describeProblem(problem: ReadProblem): string {
  switch (problem.kind) {
    case 'card-moved':
      return `the card was moved while it was read (${problem.cause}); hold it still on the reader and try again`;
    case 'bad-read':
      return `the card could not be read correctly (${problem.cause}); place it again`;
    case 'unsupported-card':
      return `this card type is not supported (${problem.cause})`;
  }
}

type ReadOutcome =
  | { kind: 'read'; event: CardReadEvent }
  | { kind: 'problem'; problem: ReadProblem }
  | { kind: 'status'; status: IdCardServiceStatus }
  | { kind: 'timeout' };

function positiveNumber(value: string, option: string, io: CliIo): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(io, exitCodes.usage, `${option}: expected a positive number, got "${value}"`);
  return n;
}

async function readCard(options: ReadOptions, io: CliIo): Promise<void> {
  const baudRate = positiveNumber(options.baud, '--baud', io);
  const timeoutS = positiveNumber(options.timeout, '--timeout', io);
  const { SerialTransport } = await import('../../../drivers/transport/serial-transport');
  const { IdCardService } = await import('../../../drivers/id-card/id-card-service');
  const transport = new SerialTransport({ path: options.port, baudRate });
  const opened = await transport.open();
  if (!opened.ok) fail(io, exitCodes.failed, `no reader: ${opened.error.message}`);
  io.progress(`kiosk: waiting up to ${timeoutS} s for a card on ${options.port} …`);
  const service = new IdCardService({ transport, log: silentLog, pollIntervalMs: 250 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await new Promise<ReadOutcome>((resolve) => {
    service.on('card-read', (event) => resolve({ kind: 'read', event }));
    service.on('read-problem', (problem) => resolve({ kind: 'problem', problem }));
    service.on('status', (status) => {
      if (status.state === 'error' || status.state === 'no-device') resolve({ kind: 'status', status });
    });
    timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutS * 1000);
    service.start();
  });
  clearTimeout(timer);
  await service.stop();
  switch (outcome.kind) {
    case 'read': {
      const { card, photo } = outcome.event;
      if (options.json === true) io.out(JSON.stringify(idCardJson(card, photo.length)));
      else for (const line of maskedCardLines(card, photo.length)) io.out(line);
      return;
    }
    case 'problem':
      return fail(io, exitCodes.failed, describeProblem(outcome.problem));
    case 'status':
      return fail(
        io,
        exitCodes.failed,
        `${outcome.status.state === 'no-device' ? 'reader lost' : 'reader error'}: ${'reason' in outcome.status ? outcome.status.reason : outcome.status.state}`,
      );
    case 'timeout':
      return fail(
        io,
        exitCodes.failed,
        `timeout: no card was read within ${timeoutS} s (a card already read must be lifted and placed again)`,
      );
  }
}

export function registerIdCardCommands(program: Command, io: CliIo): void {
  const idCard = program.command('id-card').description('resident ID-card reader (SAM protocol)');
  idCard
    .command('read')
    .description('wait for a card on the reader and print it (personal fields masked unless --json)')
    .requiredOption('--port <path>', 'serial port of the reader, e.g. /dev/kiosk-idreader')
    .option('--baud <n>', 'baud rate', '115200')
    .option('--timeout <s>', 'seconds to wait for a card', '30')
    .option('--json', 'print all fields unmasked as one JSON object')
    .action((options: ReadOptions) => readCard(options, io));
}

/**
 * Commands read from stdin while the simulator runs (for a technician driving it by hand):
 * `insert NAME`, `remove`, `fault NAME|none`, `unplug`, `replug`.
 */
export function registerSimulateIdReader(simulate: Command, io: CliIo): void {
  simulate
    .command('id-reader')
    .description('an ID-card reader speaking the SAM protocol on a pseudo-terminal')
    .option('--card <name>', `card on the reader at start: ${SAMPLE_CARD_NAMES.join(', ')}`)
    .option('--fault <name>', `fault at start: ${ID_READER_FAULTS.join(', ')}`)
    .action(async (options: { card?: string; fault?: string }) => {
      if (options.card !== undefined && !isSampleCardName(options.card))
        fail(io, exitCodes.usage, `--card: unknown card "${options.card}" (known: ${SAMPLE_CARD_NAMES.join(', ')})`);
      if (options.fault !== undefined && !isIdReaderFault(options.fault))
        fail(io, exitCodes.usage, `--fault: unknown fault "${options.fault}" (known: ${ID_READER_FAULTS.join(', ')})`);
      const { startIdReaderSimulator } = await import('../../../drivers/id-card/id-reader-simulator');
      const sim = await startIdReaderSimulator(options.card === undefined ? {} : { card: options.card });
      if (options.fault !== undefined) sim.setFault(options.fault);
      io.out(`id-reader simulator: device ${sim.devicePath}`);
      io.out(
        `card: ${options.card ?? 'none'}; stdin commands: insert NAME | remove | fault NAME|none | unplug | replug`,
      );
      await runSimulatorConsole(async (line) => {
        const [verb, arg] = line.split(/\s+/);
        if (verb === 'insert' && arg !== undefined && isSampleCardName(arg)) sim.insertCard(arg);
        else if (verb === 'remove') sim.removeCard();
        else if (verb === 'fault' && arg !== undefined && (arg === 'none' || isIdReaderFault(arg)))
          sim.setFault(arg === 'none' ? null : arg);
        else if (verb === 'unplug') await sim.unplug();
        else if (verb === 'replug') await sim.replug();
        else {
          if (line !== '') io.err(`unknown command: ${line}`);
          return;
        }
        io.out(`ok: ${line}`);
      });
      await sim.stop();
      io.out('id-reader simulator stopped');
    });
}

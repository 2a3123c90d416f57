import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { openPtyPair, type PtyPairOptions } from '../simulators/pty';
import { SerialTransport } from '../transport/serial-transport';
import { IdReaderModel, type IdReaderFault, type ReaderReply } from './id-reader-model';
import { attachResponder, type Responder } from './id-reader-responder';
import type { SampleCard, SampleCardName } from './sample-cards';

/**
 * A resident ID-card reader on a pseudo-terminal: the kiosk opens `devicePath` like a real
 * USB-serial reader, and this side answers in the real SAM protocol with sample cards, faults and
 * cable pulls under test control.
 */
export interface IdReaderSimulatorOptions {
  readonly card?: SampleCardName;
  readonly baudRate?: number;
  /** Answer delay under the 'slow-answers' fault (default 1200 ms, within the 3 s timeout). */
  readonly slowAnswerMs?: number;
  /** See IdReaderModel: halt a card after reading it (default true, like real readers). */
  readonly haltAfterRead?: boolean;
  readonly log?: Log;
  readonly pty?: PtyPairOptions;
}

export interface IdReaderSimulator {
  readonly devicePath: string;
  insertCard(card: SampleCardName | SampleCard): void;
  removeCard(): void;
  setFault(fault: IdReaderFault | null): void;
  /** Pull / plug back the reader's cable: the device path disappears and comes back. */
  unplug(): Promise<void>;
  replug(): Promise<void>;
  /** The next card-read answer stops halfway and the cable is pulled; resolves when unplugged. */
  unplugMidFrame(): Promise<void>;
  /** Told when the last byte of an answer was written (`at` = performance.now()); returns an unsubscribe. */
  onReplyWritten(listener: (command: ReaderReply['command'], at: number) => void): () => void;
  /** Every command answered so far. */
  readonly commands: readonly ReaderReply['command'][];
  stop(): Promise<void>;
}

const READ_COMMANDS: ReadonlySet<string> = new Set(['read-text-photo', 'read-text-photo-fingerprint']);

export async function startIdReaderSimulator(options: IdReaderSimulatorOptions = {}): Promise<IdReaderSimulator> {
  const log = (options.log ?? silentLog).child({ simulator: 'id-reader' });
  const model = new IdReaderModel({
    ...(options.slowAnswerMs === undefined ? {} : { slowAnswerMs: options.slowAnswerMs }),
    ...(options.haltAfterRead === undefined ? {} : { haltAfterRead: options.haltAfterRead }),
  });
  if (options.card !== undefined) model.insertCard(options.card);
  const pty = await openPtyPair(options.pty);
  const transport = new SerialTransport({ path: pty.simulatorPath, baudRate: options.baudRate ?? 115200, log });
  const replyListeners = new Set<(command: ReaderReply['command'], at: number) => void>();
  let midFrameCut: { resolve: () => void; faultBefore: IdReaderFault | null } | null = null;

  const unplug = async () => {
    responder.reset();
    model.powerCycle();
    await pty.unplug();
    await transport.close();
    log.info({}, 'reader unplugged');
  };

  const responder: Responder = attachResponder(model, transport, {
    onReplyWritten: (command, at) => {
      for (const l of replyListeners) l(command, at);
    },
    beforeChunk: (command, index) => {
      const cut = midFrameCut;
      if (cut === null || !READ_COMMANDS.has(command) || index < 3) return 'send';
      midFrameCut = null;
      model.setFault(cut.faultBefore);
      void unplug().then(cut.resolve);
      return 'cut';
    },
  });

  const opened = await transport.open();
  if (!opened.ok) {
    await pty.close();
    throw new Error(`ID reader simulator cannot open its PTY end: ${opened.error.message}`);
  }
  log.info({ devicePath: pty.devicePath }, 'ID reader simulator ready');

  return {
    devicePath: pty.devicePath,
    insertCard: (card) => {
      model.insertCard(card);
      log.info({ card: typeof card === 'string' ? card : 'custom' }, 'card placed');
    },
    removeCard: () => {
      model.removeCard();
      log.info({}, 'card lifted');
    },
    setFault: (fault) => {
      model.setFault(fault);
      log.info({ fault }, 'fault set');
    },
    unplug,
    async replug() {
      await pty.replug();
      responder.reset();
      const again = await transport.open();
      if (!again.ok) throw new Error(`ID reader simulator cannot reopen its PTY end: ${again.error.message}`);
      log.info({}, 'reader plugged back');
    },
    unplugMidFrame() {
      return new Promise<void>((resolve) => {
        // Split answers so the cut falls inside the frame (after preamble and part of the header).
        midFrameCut = { resolve, faultBefore: model.currentFault };
        model.setFault('split-response');
      });
    },
    onReplyWritten(listener) {
      replyListeners.add(listener);
      return () => replyListeners.delete(listener);
    },
    get commands() {
      return model.log;
    },
    async stop() {
      responder.stop();
      await transport.close();
      await pty.close();
    },
  };
}

import type { Log } from '../../../foundation/log';
import { startIdReaderSimulator, type IdReaderSimulator } from '../../../drivers/id-card/id-reader-simulator';
import type { IdReaderFault } from '../../../drivers/id-card/id-reader-model';
import type { SampleCardName } from '../../../drivers/id-card/sample-cards';
import type { PaperWidth } from '../../../drivers/printer/printer-profiles';
import { startPrinterSimulator, type PrinterSimulator } from '../../../drivers/printer/printer-simulator';
import type { SimulatedPrinterState } from '../../../drivers/printer/simulated-printer';
import { startKeypadSimulator, type KeypadSimulator } from '../../../drivers/keypad/keypad-simulator';
import type { KeypadKey } from '../../../foundation/keypad-keys';

/**
 * The "device dock": the simulators `simulated` links run on, each speaking its real protocol on a
 * real PTY, and one place to drive them (insert a card, run the printer out of paper, scan a code,
 * press a keypad key).
 * `npm start`'s defaults, the e2e tests and technicians' demos use it.
 */
export interface ScannerSimulatorLike {
  readonly devicePath: string;
  scan(text: string): void;
  stop(): Promise<void>;
}

export interface SimulatorDock {
  idReader(): Promise<IdReaderSimulator>;
  printer(width: PaperWidth): Promise<PrinterSimulator>;
  scanner(): Promise<ScannerSimulatorLike>;
  keypad(): Promise<KeypadSimulator>;
  /** Simulators started so far (the dock's HTTP routes act only on these). */
  readonly running: {
    idReader: IdReaderSimulator | null;
    printer: PrinterSimulator | null;
    scanner: ScannerSimulatorLike | null;
    keypad: KeypadSimulator | null;
  };
  insertCard(name: SampleCardName): boolean;
  removeCard(): boolean;
  setCardFault(fault: IdReaderFault | null): boolean;
  setPrinterState(patch: Partial<SimulatedPrinterState>): boolean;
  scan(text: string): boolean;
  /** Presses and releases a key (the numeric keypad's key for it); false when the keypad is not simulated. */
  pressKey(key: KeypadKey): boolean;
  stop(): Promise<void>;
}

export function createSimulatorDock(log: Log, startScanner: () => Promise<ScannerSimulatorLike>): SimulatorDock {
  const running: SimulatorDock['running'] = { idReader: null, printer: null, scanner: null, keypad: null };
  const dockLog = log.child({ service: 'dock' });
  return {
    running,
    async idReader() {
      running.idReader ??= await startIdReaderSimulator({ log: dockLog });
      return running.idReader;
    },
    async printer(width) {
      running.printer ??= await startPrinterSimulator({ width, log: dockLog });
      return running.printer;
    },
    async scanner() {
      running.scanner ??= await startScanner();
      return running.scanner;
    },
    async keypad() {
      running.keypad ??= await startKeypadSimulator({ log: dockLog });
      return running.keypad;
    },
    insertCard(name) {
      running.idReader?.insertCard(name);
      dockLog.info({ card: name }, 'dock: card inserted');
      return running.idReader !== null;
    },
    removeCard() {
      running.idReader?.removeCard();
      dockLog.info({}, 'dock: card removed');
      return running.idReader !== null;
    },
    setCardFault(fault) {
      running.idReader?.setFault(fault);
      dockLog.info({ fault }, 'dock: reader fault set');
      return running.idReader !== null;
    },
    setPrinterState(patch) {
      running.printer?.setState(patch);
      return running.printer !== null;
    },
    scan(text) {
      running.scanner?.scan(text);
      dockLog.info({ length: text.length }, 'dock: code scanned');
      return running.scanner !== null;
    },
    pressKey(key) {
      void running.keypad?.press(key);
      dockLog.info({ key }, 'dock: keypad key pressed');
      return running.keypad !== null;
    },
    async stop() {
      await Promise.all([
        running.idReader?.stop(),
        running.printer?.stop(),
        running.scanner?.stop(),
        running.keypad?.stop(),
      ]);
      running.idReader = null;
      running.printer = null;
      running.scanner = null;
      running.keypad = null;
    },
  };
}

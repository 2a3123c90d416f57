import { assertNever } from '../../foundation/result';

/**
 * What an IPP printer's `printer-state` and `printer-state-reasons` mean for the kiosk (RFC 8011
 * §5.4.11–12, PWG 5100.9 keywords). Reasons carry a severity suffix (-error, -warning, -report) or
 * none (treated as an error, as CUPS does). Pure: the device service and the console both use it.
 */
export type A4Warning = 'toner-low' | 'media-low';

export type A4PrinterState =
  | { readonly state: 'ready'; readonly warnings: readonly A4Warning[] }
  | { readonly state: 'busy'; readonly warnings: readonly A4Warning[] }
  | { readonly state: 'media-empty' }
  | { readonly state: 'media-jam' }
  | { readonly state: 'door-open' }
  | { readonly state: 'toner-empty' }
  | { readonly state: 'offline'; readonly reason: string }
  | { readonly state: 'not-configured' }
  | { readonly state: 'error'; readonly reasons: readonly string[] };

const PRINTER_IDLE = 3;
const PRINTER_PROCESSING = 4;

function splitSeverity(reason: string): { keyword: string; severity: 'error' | 'warning' | 'report' } {
  for (const severity of ['error', 'warning', 'report'] as const) {
    if (reason.endsWith(`-${severity}`)) return { keyword: reason.slice(0, -severity.length - 1), severity };
  }
  return { keyword: reason, severity: 'error' };
}

/** The blocking conditions in order of what the person at the printer should fix first. */
const BLOCKING: readonly [string, A4PrinterState][] = [
  ['door-open', { state: 'door-open' }],
  ['cover-open', { state: 'door-open' }],
  ['media-jam', { state: 'media-jam' }],
  ['media-empty', { state: 'media-empty' }],
  ['media-needed', { state: 'media-empty' }],
  ['toner-empty', { state: 'toner-empty' }],
  ['marker-supply-empty', { state: 'toner-empty' }],
];

export function a4StateFromIpp(printerState: number | undefined, reasons: readonly string[]): A4PrinterState {
  const parsed = reasons.filter((r) => r !== 'none').map(splitSeverity);
  const errors = parsed.filter((r) => r.severity === 'error').map((r) => r.keyword);
  // Paper, jam, door and toner block the next job whatever the severity: printers that are idle
  // report them as -report (ippeveprinter does), yet a job sent now would fail.
  const named = parsed.map((r) => r.keyword);
  for (const [keyword, state] of BLOCKING) if (named.includes(keyword)) return state;
  if (errors.includes('offline') || parsed.some((r) => r.keyword === 'offline')) {
    return { state: 'offline', reason: 'the printer reports itself offline' };
  }
  const warnings: A4Warning[] = [];
  for (const r of parsed) {
    if (r.keyword === 'toner-low' || r.keyword === 'marker-supply-low') warnings.push('toner-low');
    if (r.keyword === 'media-low') warnings.push('media-low');
  }
  const meaningfulErrors = errors.filter((k) => k !== 'toner-low' && k !== 'media-low');
  if (printerState === PRINTER_IDLE && meaningfulErrors.length === 0) return { state: 'ready', warnings };
  if (printerState === PRINTER_PROCESSING && meaningfulErrors.length === 0) return { state: 'busy', warnings };
  return {
    state: 'error',
    reasons: meaningfulErrors.length > 0 ? meaningfulErrors : [`printer-state ${printerState ?? '?'}`],
  };
}

/** Paper, jam, door, toner: the printer waits for someone to come; offline: it may never answer. */
export function needsAPerson(state: A4PrinterState): boolean {
  switch (state.state) {
    case 'media-empty':
    case 'media-jam':
    case 'door-open':
    case 'toner-empty':
    case 'offline':
    case 'error':
      return true;
    case 'ready':
    case 'busy':
    case 'not-configured':
      return false;
    default:
      return assertNever(state);
  }
}

/** RFC 8011 §5.3.7 job-state. */
export type IppJobState = 'pending' | 'held' | 'processing' | 'stopped' | 'canceled' | 'aborted' | 'completed';

const JOB_STATES: ReadonlyMap<number, IppJobState> = new Map([
  [3, 'pending'],
  [4, 'held'],
  [5, 'processing'],
  [6, 'stopped'],
  [7, 'canceled'],
  [8, 'aborted'],
  [9, 'completed'],
]);

export function jobStateFromIpp(value: number | undefined): IppJobState | undefined {
  return value === undefined ? undefined : JOB_STATES.get(value);
}

export function isFinalJobState(state: IppJobState): boolean {
  return state === 'canceled' || state === 'aborted' || state === 'completed';
}

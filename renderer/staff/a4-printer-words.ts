import type { A4PrinterStateName, A4WarningName } from '../../electron/api/document-contract';
import type { A4PrinterView } from '../../electron/api/staff-contract';
import type { Translate } from '../i18n/i18n';

/**
 * The A4 printer's IPP state in the words staff and technicians read (缺纸, 卡纸, 墨粉不多了…): the
 * one wording for the device view, the health view and the failed-prints list.
 */
export function a4StateWords(state: A4PrinterStateName, t: Translate): string {
  return t(`staff.a4.state.${state}`);
}

/** What to do about a state that needs a person; null when nothing needs doing. */
export function a4TodoWords(state: A4PrinterStateName, t: Translate): string | null {
  return state === 'ready' || state === 'busy' || state === 'not-configured' ? null : t(`staff.a4.todo.${state}`);
}

export function a4WarningWords(warning: A4WarningName, t: Translate): string {
  return t(`staff.a4.warning.${warning}`);
}

/** The state, its warnings and what to do, as one line: "正常，可以打印 · 墨粉不多了". */
export function a4StatusLine(printer: Pick<A4PrinterView, 'state' | 'warnings'>, t: Translate): string {
  return [
    a4StateWords(printer.state, t),
    ...printer.warnings.map((w) => a4WarningWords(w, t)),
    a4TodoWords(printer.state, t),
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
}

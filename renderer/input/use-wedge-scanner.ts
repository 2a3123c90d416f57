import { useEffect, useRef } from 'preact/hooks';
import { defaultWedgeTiming, WedgeScanner, type WedgeTiming } from './wedge-scanner';

/**
 * Routes keyboard-wedge scanner bursts to `onScan` while the calling component is mounted. Their
 * keystrokes are swallowed (they never land in a focused field); keys typed at human speed reach
 * the focused field after at most one gap (30 ms), in order.
 */
export function useWedgeScanner(onScan: (code: string) => void, timing: WedgeTiming = defaultWedgeTiming): void {
  const latest = useRef(onScan);
  latest.current = onScan;

  useEffect(() => {
    const scanner = new WedgeScanner(timing);
    let timer: number | undefined;

    const release = (text: string) => {
      const field = document.activeElement;
      // Only real text fields take typing; with none focused the keys had nowhere to go anyway.
      if (
        field instanceof HTMLInputElement ||
        field instanceof HTMLTextAreaElement ||
        (field instanceof HTMLElement && field.isContentEditable)
      ) {
        document.execCommand('insertText', false, text);
      }
    };
    const schedule = () => {
      window.clearTimeout(timer);
      if (!scanner.holding) return;
      timer = window.setTimeout(() => {
        const due = scanner.flushDue(performance.now());
        if (due !== null) release(due);
        schedule();
      }, timing.maxGapMs);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      // The numeric keypad is the audio keypad mode's (renderer/keypad/); scanners type on the main row.
      if (event.isComposing || event.ctrlKey || event.altKey || event.metaKey || event.code.startsWith('Numpad'))
        return;
      const verdict = scanner.key(event.key, event.timeStamp);
      if (verdict.release !== undefined) release(verdict.release);
      if (verdict.consume) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
      if (verdict.scan !== undefined) latest.current(verdict.scan);
      schedule();
    };
    // Capture phase on window: we see the keys before any field or other handler does.
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.clearTimeout(timer);
    };
  }, [timing.maxGapMs, timing.minLength]);
}

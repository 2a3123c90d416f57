import { useEffect, useRef } from 'preact/hooks';

/** How long staff hold the 声音 button to turn the audio keypad mode on (docs/accessibility.md). */
export const longPressMs = 2000;

/**
 * A press held for `ms` on one control, for a gesture staff show a resident (the audio keypad mode
 * on the 声音 button). The click that ends a long press is swallowed, so the button's own tap action
 * (voice on/off) does not also happen. Returns the handlers to spread on the element.
 */
export function useLongPress(onLongPress: () => void, ms: number = longPressMs) {
  const timer = useRef<number | undefined>(undefined);
  const fired = useRef(false);
  const latest = useRef(onLongPress);
  latest.current = onLongPress;
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const cancel = () => window.clearTimeout(timer.current);
  return {
    onPointerDown: () => {
      fired.current = false;
      cancel();
      timer.current = window.setTimeout(() => {
        fired.current = true;
        latest.current();
      }, ms);
    },
    onPointerUp: cancel,
    onPointerLeave: cancel,
    onPointerCancel: cancel,
    /** Runs before the element's own onClick decides; true: this click ended a long press. */
    swallowClick: (): boolean => {
      const was = fired.current;
      fired.current = false;
      return was;
    },
  };
}

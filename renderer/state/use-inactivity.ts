import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * Inactivity for one resident (WCAG 2.2.1): after `timeoutSeconds` without a touch the session is
 * wiped; `warningSeconds` before that a countdown asks whether they are still there, and one tap
 * extends — as often as they need (unlimited, which is more than the ten WCAG asks for).
 * The timer runs only while someone is using the terminal, so the idle screen costs no CPU.
 */
export interface InactivityOptions {
  readonly active: boolean;
  readonly timeoutSeconds: number;
  readonly warningSeconds: number;
  readonly onExpire: () => void;
  readonly onWarn?: () => void;
  readonly now?: () => number;
}

export function useInactivity(options: InactivityOptions): {
  secondsLeft: number | null;
  /** The warning's own button: the resident is here, the warning goes. */
  extend: () => void;
  /** A touch that no DOM event shows (a tactile keypad's key from the services). */
  touch: () => void;
} {
  const now = options.now ?? Date.now;
  const lastActivity = useRef(now());
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const warning = useRef(false);
  const latest = useRef(options);
  latest.current = options;

  const extend = useCallback(() => {
    lastActivity.current = now();
    warning.current = false;
    setSecondsLeft(null);
  }, [now]);

  // While the warning shows, only its button extends: a stray touch must not hide it unseen.
  const touch = useCallback(() => {
    if (!warning.current) lastActivity.current = now();
  }, [now]);

  useEffect(() => {
    if (!options.active) return undefined;
    lastActivity.current = now();
    const touched = touch;
    window.addEventListener('pointerdown', touched, true);
    window.addEventListener('keydown', touched, true);
    const timer = window.setInterval(() => {
      const { timeoutSeconds, warningSeconds } = latest.current;
      const idleSeconds = (now() - lastActivity.current) / 1000;
      if (idleSeconds >= timeoutSeconds) {
        warning.current = false;
        setSecondsLeft(null);
        latest.current.onExpire();
      } else if (idleSeconds >= timeoutSeconds - warningSeconds) {
        if (!warning.current) {
          warning.current = true;
          latest.current.onWarn?.();
        }
        setSecondsLeft(Math.ceil(timeoutSeconds - idleSeconds));
      }
    }, 250);
    return () => {
      window.removeEventListener('pointerdown', touched, true);
      window.removeEventListener('keydown', touched, true);
      window.clearInterval(timer);
      warning.current = false;
      setSecondsLeft(null);
    };
  }, [options.active, now, touch]);

  return { secondsLeft, extend, touch };
}

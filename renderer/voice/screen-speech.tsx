import { useEffect } from 'preact/hooks';
import { useVoice } from './use-voice';

/**
 * Speech says what the screen says (docs/ux.md): on each new screen it reads the elements marked
 * `data-speak`, in page order — the instruction, then the choices; a new error message marked
 * `data-speak` is read as soon as it appears.
 */
export function spokenText(root: ParentNode): string {
  return [...root.querySelectorAll('[data-speak]')]
    .map((el) => said(el).replace(/\s+/g, ' ').trim())
    .filter((text) => text !== '')
    .join('。 ');
}

/** `data-speak-text` says how to read words not said as written (a grouped number, digit by digit). */
function said(el: Element): string {
  return el.getAttribute('data-speak-text') ?? el.textContent ?? '';
}

export function ScreenSpeech({ screenKey }: { screenKey: string }) {
  const voice = useVoice();
  const { say, enabled } = voice;
  useEffect(() => {
    // After the screen has rendered its texts.
    const frame = requestAnimationFrame(() => say(spokenText(document)));
    return () => cancelAnimationFrame(frame);
  }, [screenKey, say, enabled]);
  useEffect(() => {
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLElement && node.matches('[role="alert"][data-speak]')) say(said(node));
        }
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [say]);
  return null;
}

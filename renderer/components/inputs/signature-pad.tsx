import { useI18n } from '../../i18n/i18n';
import { drawStroke, type Stroke } from './signature-strokes';
import { prepareInk, useInkCanvas } from './use-ink-canvas';
import './inputs.css';

/**
 * Sign with a finger (ink capture in use-ink-canvas.ts), with Clear / Undo last stroke. `onChange`
 * gets a PNG data URL of the ink on white after every stroke, or null once nothing is left.
 */
export interface SignaturePadProps {
  readonly onChange: (png: string | null) => void;
  /** What the empty box asks for (a name by default; a ✗ or circle for a mark). */
  readonly hint?: string;
}

/** The ink alone at CSS-pixel size on white: small enough to submit, clear enough to print. */
function exportPng(strokes: ReadonlyArray<Stroke>, width: number, height: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width));
  canvas.height = Math.max(1, Math.round(height));
  const ctx = canvas.getContext('2d');
  if (ctx === null) return '';
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  prepareInk(ctx);
  for (const stroke of strokes) drawStroke(ctx, stroke);
  return canvas.toDataURL('image/png');
}

export function SignaturePad({ onChange, hint }: SignaturePadProps) {
  const { t } = useI18n();
  const emptyHint = hint ?? t('signaturePad.hint');
  const ink = useInkCanvas((strokes) => {
    const canvas = ink.canvasRef.current;
    if (strokes.length === 0 || canvas === null) onChange(null);
    else onChange(exportPng(strokes, canvas.clientWidth, canvas.clientHeight));
  });

  return (
    <div class="signature-pad">
      <div class="signature-box">
        <span class="signature-hint" aria-hidden="true">
          {emptyHint}
        </span>
        <span class="signature-baseline" aria-hidden="true" />
        <canvas
          ref={ink.canvasRef}
          class="ink-canvas"
          role="img"
          aria-label={`${t('signaturePad.area')}: ${ink.count > 0 ? t('signaturePad.signed') : emptyHint}`}
          data-testid="signature-canvas"
          data-strokes={ink.count}
          {...ink.handlers}
        />
      </div>
      <div class="button-row">
        <button type="button" data-testid="signature-undo" disabled={ink.count === 0} onClick={() => ink.undo()}>
          {t('signaturePad.undo')}
        </button>
        <button type="button" data-testid="signature-clear" disabled={ink.count === 0} onClick={() => ink.clear()}>
          {t('signaturePad.clear')}
        </button>
      </div>
    </div>
  );
}

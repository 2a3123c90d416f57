import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import { drawStroke, inkWidth, worthAdding, type Point, type Stroke } from './signature-strokes';
import './inputs.css';

/**
 * Sign with a finger: pointer events with capture (the stroke keeps going if the finger slides
 * off the box), a canvas sharp at any devicePixelRatio, one finger at a time (a resting palm is
 * ignored), and Clear / Undo last stroke. `onChange` gets a PNG data URL of the ink on white after
 * every stroke, or null once nothing is left. Only the canvas has touch-action: none, so the
 * rest of the screen behaves normally.
 */
export interface SignaturePadProps {
  readonly onChange: (png: string | null) => void;
}

const inkColour = '#111111';

function prepare(ctx: CanvasRenderingContext2D): void {
  ctx.lineWidth = inkWidth;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = inkColour;
  ctx.fillStyle = inkColour;
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
  prepare(ctx);
  for (const stroke of strokes) drawStroke(ctx, stroke);
  return canvas.toDataURL('image/png');
}

export function SignaturePad({ onChange }: SignaturePadProps) {
  const { t } = useI18n();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Stroke[]>([]);
  const active = useRef<{ pointerId: number; points: Point[]; origin: DOMRect } | null>(null);
  const frame = useRef<number | null>(null);
  const [count, setCount] = useState(0);
  const latest = useRef(onChange);
  latest.current = onChange;

  const redraw = () => {
    frame.current = null;
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (canvas === null || canvas === undefined || ctx === null || ctx === undefined) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    prepare(ctx);
    for (const stroke of strokes.current) drawStroke(ctx, stroke);
    if (active.current !== null) drawStroke(ctx, active.current.points);
  };
  const scheduleRedraw = () => {
    frame.current ??= requestAnimationFrame(redraw);
  };
  const emit = () => {
    setCount(strokes.current.length);
    const canvas = canvasRef.current;
    if (strokes.current.length === 0 || canvas === null) latest.current(null);
    else latest.current(exportPng(strokes.current, canvas.clientWidth, canvas.clientHeight));
  };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return undefined;
    // Keep the backing store matched to the box and the screen's pixel density.
    const fit = () => {
      const dpr = window.devicePixelRatio || 1;
      const width = Math.round(canvas.clientWidth * dpr);
      const height = Math.round(canvas.clientHeight * dpr);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      redraw();
    };
    const observer = new ResizeObserver(fit);
    observer.observe(canvas);
    fit();
    return () => {
      observer.disconnect();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, []);

  const pointAt = (event: PointerEvent, origin: DOMRect): Point => ({
    x: event.clientX - origin.left,
    y: event.clientY - origin.top,
  });

  const onPointerDown = (event: PointerEvent) => {
    if (active.current !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    const canvas = event.currentTarget as HTMLCanvasElement;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    const origin = canvas.getBoundingClientRect();
    active.current = { pointerId: event.pointerId, points: [pointAt(event, origin)], origin };
    scheduleRedraw();
  };
  const onPointerMove = (event: PointerEvent) => {
    const stroke = active.current;
    if (stroke === null || stroke.pointerId !== event.pointerId) return;
    // Coalesced events carry the samples between frames: smoother curves on fast strokes.
    const samples = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of samples.length > 0 ? samples : [event]) {
      const p = pointAt(sample, stroke.origin);
      if (worthAdding(stroke.points, p)) stroke.points.push(p);
    }
    scheduleRedraw();
  };
  const onPointerEnd = (event: PointerEvent) => {
    const stroke = active.current;
    if (stroke === null || stroke.pointerId !== event.pointerId) return;
    const p = pointAt(event, stroke.origin);
    if (worthAdding(stroke.points, p)) stroke.points.push(p);
    active.current = null;
    strokes.current.push(stroke.points);
    redraw();
    emit();
  };

  const undo = () => {
    strokes.current.pop();
    redraw();
    emit();
  };
  const clear = () => {
    strokes.current = [];
    redraw();
    emit();
  };

  return (
    <div class="signature-pad">
      <div class="signature-box">
        <span class="signature-hint" aria-hidden="true">
          {t('signaturePad.hint')}
        </span>
        <span class="signature-baseline" aria-hidden="true" />
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`${t('signaturePad.area')}: ${count > 0 ? t('signaturePad.signed') : t('signaturePad.hint')}`}
          data-testid="signature-canvas"
          data-strokes={count}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
        />
      </div>
      <div class="button-row">
        <button type="button" data-testid="signature-undo" disabled={count === 0} onClick={undo}>
          {t('signaturePad.undo')}
        </button>
        <button type="button" data-testid="signature-clear" disabled={count === 0} onClick={clear}>
          {t('signaturePad.clear')}
        </button>
      </div>
    </div>
  );
}

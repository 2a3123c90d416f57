import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { drawStroke, inkWidth, worthAdding, type Point } from './signature-strokes';

/**
 * Finger ink on a canvas, shared by the signature pad and the handwriting pad: pointer events with
 * capture (the stroke keeps going if the finger slides off the box), a canvas sharp at any
 * devicePixelRatio, one finger at a time (a resting palm is ignored). Each point keeps its time.
 * `onChange` hears the strokes after every finished stroke, undo and clear. Only the canvas gets
 * touch-action: none (in CSS), so the rest of the screen behaves normally.
 */
export interface InkPoint extends Point {
  /** Milliseconds, from the pointer event's timeStamp. */
  readonly t: number;
}
export type InkStroke = ReadonlyArray<InkPoint>;

export interface InkCanvas {
  readonly canvasRef: { current: HTMLCanvasElement | null };
  /** How many strokes are finished. */
  readonly count: number;
  readonly handlers: Pick<
    JSX.HTMLAttributes<HTMLCanvasElement>,
    'onPointerDown' | 'onPointerMove' | 'onPointerUp' | 'onPointerCancel'
  >;
  /** The finished strokes, oldest first. */
  strokes(): ReadonlyArray<InkStroke>;
  undo(): void;
  clear(): void;
}

const inkColour = '#111111';

export function prepareInk(ctx: CanvasRenderingContext2D, width = inkWidth): void {
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = inkColour;
  ctx.fillStyle = inkColour;
}

export function useInkCanvas(onChange: (strokes: ReadonlyArray<InkStroke>) => void, width = inkWidth): InkCanvas {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<InkStroke[]>([]);
  const active = useRef<{ pointerId: number; points: InkPoint[]; origin: DOMRect } | null>(null);
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
    prepareInk(ctx, width);
    for (const stroke of strokes.current) drawStroke(ctx, stroke);
    if (active.current !== null) drawStroke(ctx, active.current.points);
  };
  const scheduleRedraw = () => {
    frame.current ??= requestAnimationFrame(redraw);
  };
  const changed = () => {
    redraw();
    setCount(strokes.current.length);
    latest.current(strokes.current);
  };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return undefined;
    // Keep the backing store matched to the box and the screen's pixel density.
    const fit = () => {
      const dpr = window.devicePixelRatio || 1;
      const w = Math.round(canvas.clientWidth * dpr);
      const h = Math.round(canvas.clientHeight * dpr);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
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

  const pointAt = (event: PointerEvent, origin: DOMRect): InkPoint => ({
    x: event.clientX - origin.left,
    y: event.clientY - origin.top,
    t: event.timeStamp,
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
    changed();
  };

  return {
    canvasRef,
    count,
    handlers: { onPointerDown, onPointerMove, onPointerUp: onPointerEnd, onPointerCancel: onPointerEnd },
    strokes: () => strokes.current,
    undo: () => {
      strokes.current.pop();
      changed();
    },
    clear: () => {
      strokes.current = [];
      changed();
    },
  };
}

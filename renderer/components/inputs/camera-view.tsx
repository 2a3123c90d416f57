import type { ComponentChildren } from 'preact';
import type { MutableRef } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import type { CameraProblem, CameraState } from './camera-stream';
import './camera.css';

/**
 * The live picture with a framing guide drawn over it: a document rectangle, a face oval or a
 * QR square, everything outside it dimmed. Shared by the photo and QR widgets.
 */
export type FramingGuide = 'document' | 'face' | 'qr';

function guidePath(guide: FramingGuide, w: number, h: number): string {
  switch (guide) {
    case 'document': {
      const mx = w * 0.08;
      const my = h * 0.08;
      return `M${mx},${my} H${w - mx} V${h - my} H${mx} Z`;
    }
    case 'qr': {
      const side = Math.min(w, h) * 0.6;
      const x = (w - side) / 2;
      const y = (h - side) / 2;
      return `M${x},${y} h${side} v${side} h${-side} Z`;
    }
    case 'face': {
      const rx = Math.min(w * 0.22, h * 0.3);
      const ry = rx * 1.3;
      const cx = w / 2;
      const cy = h * 0.47;
      return `M${cx - rx},${cy} a${rx},${ry} 0 1,0 ${rx * 2},0 a${rx},${ry} 0 1,0 ${-rx * 2},0 Z`;
    }
  }
}

export function CameraView(props: {
  video: MutableRef<HTMLVideoElement | null>;
  state: CameraState;
  guide: FramingGuide;
  hidden?: boolean;
  children?: ComponentChildren;
}) {
  const { t } = useI18n();
  const { state } = props;
  const w = state.kind === 'live' && state.width > 0 ? state.width : 640;
  const h = state.kind === 'live' && state.height > 0 ? state.height : 480;
  const shape = guidePath(props.guide, w, h);
  return (
    <div
      class={`camera-frame${props.hidden === true ? ' is-hidden' : ''}`}
      style={{ aspectRatio: `${w} / ${h}`, maxWidth: `calc(48vh * ${w} / ${h})`, '--camera-aspect': `${w / h}` }}
    >
      <video
        ref={props.video}
        class={props.guide === 'face' ? 'mirror' : undefined}
        muted
        playsInline
        autoPlay
        aria-label={t('camera.view')}
        data-testid="camera-video"
      />
      {state.kind === 'live' && (
        <svg class="camera-guide" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" aria-hidden="true">
          <path d={`M0,0 H${w} V${h} H0 Z ${shape}`} fill="rgba(0,0,0,0.5)" fill-rule="evenodd" />
          <path
            d={shape}
            fill="none"
            stroke="#ffd400"
            stroke-width={Math.max(4, w / 160)}
            stroke-dasharray={`${w / 40} ${w / 80}`}
          />
        </svg>
      )}
      {state.kind === 'starting' && (
        <p class="camera-status" role="status">
          {t('camera.starting')}
        </p>
      )}
      {props.children}
    </div>
  );
}

/** What went wrong with the camera, in words, with a retry (and whatever else the widget offers). */
export function CameraProblemNotice(props: {
  problem: CameraProblem;
  onRetry: () => void;
  children?: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <div class="camera-widget">
      <p class="field-error" role="alert" data-testid="camera-problem" data-problem={props.problem}>
        {t(`camera.problem.${props.problem}`)}
      </p>
      <div class="button-row">
        <button type="button" data-testid="camera-retry" onClick={props.onRetry}>
          {t('widget.retry')}
        </button>
        {props.children}
      </div>
    </div>
  );
}

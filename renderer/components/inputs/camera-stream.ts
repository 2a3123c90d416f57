import { useEffect, useRef, useState, type MutableRef } from 'preact/hooks';

/**
 * Opening the configured camera (docs/devices/scanners.md: chosen by label; '' = the first camera) and
 * closing it again. Failures are values the screen can put into words; a stream is always
 * stopped when the widget goes away, so the camera light goes off with it.
 */
export type CameraProblem = 'no-camera' | 'denied' | 'in-use' | 'failed';
export type CameraOpen =
  { readonly ok: true; readonly stream: MediaStream } | { readonly ok: false; readonly problem: CameraProblem };

/** getUserMedia's DOMException names, in words a resident (or staff) can act on. */
export function classifyCameraError(error: unknown): CameraProblem {
  const name =
    error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)
      ? String(error.name)
      : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-camera';
    case 'NotReadableError':
    case 'AbortError':
      return 'in-use';
    default:
      return 'failed';
  }
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

const wanted = { width: { ideal: 1920 }, height: { ideal: 1080 } } as const;

export async function openCamera(
  label: string,
  media: MediaDevices | undefined = navigator.mediaDevices,
): Promise<CameraOpen> {
  if (media === undefined || typeof media.getUserMedia !== 'function') return { ok: false, problem: 'no-camera' };
  try {
    // Labels are only readable once the page may use a camera, so open one first.
    const first = await media.getUserMedia({ video: wanted, audio: false });
    if (label === '') return { ok: true, stream: first };
    const cameras = (await media.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    const match = cameras.find((d) => d.label.toLowerCase().includes(label.toLowerCase()));
    if (match === undefined) {
      stopStream(first);
      return { ok: false, problem: 'no-camera' };
    }
    if (first.getVideoTracks()[0]?.getSettings().deviceId === match.deviceId) return { ok: true, stream: first };
    stopStream(first);
    return {
      ok: true,
      stream: await media.getUserMedia({ video: { ...wanted, deviceId: { exact: match.deviceId } }, audio: false }),
    };
  } catch (error) {
    return { ok: false, problem: classifyCameraError(error) };
  }
}

export type CameraState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'live'; readonly width: number; readonly height: number }
  | { readonly kind: 'problem'; readonly problem: CameraProblem };

/** Opens the camera into `video` while mounted (and again on `retry`); stops it on unmount. */
export function useCamera(
  label: string,
  video: MutableRef<HTMLVideoElement | null>,
): { state: CameraState; stop: () => void; retry: () => void } {
  const [state, setState] = useState<CameraState>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);
  const stream = useRef<MediaStream | null>(null);
  useEffect(() => {
    let live = true;
    setState({ kind: 'starting' });
    void openCamera(label).then((opened) => {
      if (!live) {
        if (opened.ok) stopStream(opened.stream);
        return;
      }
      if (!opened.ok) {
        setState({ kind: 'problem', problem: opened.problem });
        return;
      }
      stream.current = opened.stream;
      const element = video.current;
      if (element === null) return;
      element.srcObject = opened.stream;
      const ready = () => setState({ kind: 'live', width: element.videoWidth, height: element.videoHeight });
      if (element.readyState >= HTMLMediaElement.HAVE_METADATA) ready();
      else element.addEventListener('loadedmetadata', ready, { once: true });
      void element.play().catch(() => undefined);
    });
    return () => {
      live = false;
      stopStream(stream.current);
      stream.current = null;
      if (video.current !== null) video.current.srcObject = null;
    };
  }, [label, attempt]);
  return {
    state,
    stop() {
      stopStream(stream.current);
      stream.current = null;
    },
    retry: () => setAttempt((n) => n + 1),
  };
}

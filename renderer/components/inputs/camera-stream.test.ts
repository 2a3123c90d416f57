import { describe, expect, it } from 'vitest';
import { fitWithin, jpegAttempts, maxSide } from './camera-image';
import { classifyCameraError, openCamera } from './camera-stream';

/** MediaDevices with named cameras; records which were opened and stopped. */
function fakeMedia(labels: string[], failWith?: string) {
  const opened: string[] = [];
  const stopped: string[] = [];
  const stream = (deviceId: string) => {
    const track = { stop: () => stopped.push(deviceId), getSettings: () => ({ deviceId }) };
    return { getTracks: () => [track], getVideoTracks: () => [track] } as unknown as MediaStream;
  };
  const media = {
    getUserMedia(constraints: MediaStreamConstraints) {
      if (failWith !== undefined) return Promise.reject(Object.assign(new Error(failWith), { name: failWith }));
      if (labels.length === 0) return Promise.reject(Object.assign(new Error('none'), { name: 'NotFoundError' }));
      const video = constraints.video as MediaTrackConstraints;
      const id = (video.deviceId as { exact: string } | undefined)?.exact ?? 'cam-0';
      opened.push(id);
      return Promise.resolve(stream(id));
    },
    enumerateDevices: () =>
      Promise.resolve([
        { kind: 'audioinput', label: 'Mic', deviceId: 'mic' },
        ...labels.map((label, i) => ({ kind: 'videoinput', label, deviceId: `cam-${i}` })),
      ]),
  } as unknown as MediaDevices;
  return { media, opened, stopped };
}

describe('openCamera', () => {
  it('takes the first camera when no label is configured', async () => {
    const { media, opened } = fakeMedia(['USB Face Camera', 'Doc Scanner HD']);
    expect(await openCamera('', media)).toMatchObject({ ok: true });
    expect(opened).toEqual(['cam-0']);
  });

  it('switches to the first camera whose label contains the configured text (any case)', async () => {
    const { media, opened, stopped } = fakeMedia(['USB Face Camera', 'Doc Scanner HD', 'doc scanner 2']);
    expect(await openCamera('DOC scanner', media)).toMatchObject({ ok: true });
    expect(opened).toEqual(['cam-0', 'cam-1']);
    expect(stopped).toEqual(['cam-0']);
  });

  it('keeps the first stream when it already is the wanted camera', async () => {
    const { media, opened, stopped } = fakeMedia(['USB Face Camera']);
    expect(await openCamera('face', media)).toMatchObject({ ok: true });
    expect(opened).toEqual(['cam-0']);
    expect(stopped).toEqual([]);
  });

  it('says no-camera when no label matches, and leaves no camera running', async () => {
    const { media, stopped } = fakeMedia(['USB Face Camera']);
    expect(await openCamera('Doc Scanner', media)).toEqual({ ok: false, problem: 'no-camera' });
    expect(stopped).toEqual(['cam-0']);
  });

  it('puts failures into words', async () => {
    expect(await openCamera('', fakeMedia([]).media)).toEqual({ ok: false, problem: 'no-camera' });
    expect(await openCamera('', fakeMedia(['x'], 'NotAllowedError').media)).toEqual({ ok: false, problem: 'denied' });
    expect(await openCamera('', fakeMedia(['x'], 'NotReadableError').media)).toEqual({ ok: false, problem: 'in-use' });
    expect(await openCamera('', {} as MediaDevices)).toEqual({ ok: false, problem: 'no-camera' });
    expect(classifyCameraError(new TypeError('bad'))).toBe('failed');
    expect(classifyCameraError('weird')).toBe('failed');
  });
});

describe('photo size', () => {
  it('fits the longest side within 1600 px, never enlarging', () => {
    expect(fitWithin(1920, 1080, maxSide)).toEqual({ width: 1600, height: 900 });
    expect(fitWithin(1080, 1920, maxSide)).toEqual({ width: 900, height: 1600 });
    expect(fitWithin(640, 480, maxSide)).toEqual({ width: 640, height: 480 });
  });

  it('starts at quality 0.8 and only ever gets smaller', () => {
    expect(jpegAttempts[0]).toEqual({ scale: 1, quality: 0.8 });
    for (let i = 1; i < jpegAttempts.length; i++) {
      const [a, b] = [jpegAttempts[i - 1], jpegAttempts[i]];
      expect(b!.scale * b!.quality).toBeLessThan(a!.scale * a!.quality);
    }
  });
});

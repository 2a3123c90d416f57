import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { DeviceLink } from '../../kiosk-config/config-schema';
import type { DeviceRole } from '../../electron/api/device-contract';
import type { ResultOf } from '../../electron/api/contract';
import type { CallFailure, KioskClient } from '../api/kiosk-client';
import { useI18n, type Translate } from '../i18n/i18n';
import { PinDevice } from './pin-device';
import { A4PrinterEditor } from './tech-a4-printer';
import { Outcome } from './staff-frame';
import { LoadFailure, staffRefusalText, type StaffRefusal } from './staff-failures';
import { useStaffCall } from './use-staff-call';

/**
 * Devices in the technician console: what is attached where, discovery of serial and HID
 * devices, assignment of a role to a port (applied at once, no restart, no file to edit) and each
 * device's self-test. The camera belongs to the page, so its test runs here in the renderer.
 */
const roles: readonly DeviceRole[] = ['id-reader', 'printer', 'scanner', 'keypad'];
const baudRates = [9600, 19200, 38400, 57600, 115200] as const;
type Kind = DeviceLink['kind'];
const kinds: readonly Kind[] = ['simulated', 'serial', 'hid', 'tcp', 'file', 'none'];

export function describeLink(link: DeviceLink): string {
  switch (link.kind) {
    case 'simulated':
    case 'none':
      return link.kind;
    case 'serial':
      return `${link.path} @ ${link.baudRate}`;
    case 'hid':
      return `HID ${link.vendorId.toString(16).padStart(4, '0')}:${link.productId.toString(16).padStart(4, '0')}${link.path === undefined ? '' : ` ${link.path}`}`;
    case 'tcp':
      return `tcp ${link.host}:${link.port}`;
    case 'file':
      return link.path;
  }
}

export function DevicesView({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const { loaded, reload } = useStaffCall(client, 'tech.devices', {});
  const [found, setFound] = useState<ResultOf<'tech.discover'> | null>(null);
  const [discoverFailed, setDiscoverFailed] = useState<StaffRefusal | null>(null);
  const discover = async () => {
    const answer = await client.call('tech.discover', {});
    setFound(answer.ok ? answer.value : null);
    setDiscoverFailed(answer.ok ? null : answer.error);
  };
  return (
    <section class="staff-section" aria-label={t('tech.tab.devices')}>
      <div class="button-row">
        <button type="button" data-testid="devices-discover" onClick={() => void discover()}>
          {t('tech.devices.discover')}
        </button>
        <button type="button" data-testid="devices-refresh" onClick={reload}>
          {t('staff.refresh')}
        </button>
      </div>
      {found !== null && (
        <div class="notice-section" data-testid="devices-found">
          <h2>{t('tech.devices.found', { serial: found.serial.length, hid: found.hid.length })}</h2>
          <ul>
            {found.serial.map((port) => (
              <li key={port.path}>
                {port.path} {port.manufacturer ?? ''}{' '}
                {port.vendorId === undefined ? '' : `${port.vendorId}:${port.productId ?? ''}`}{' '}
                <PinDevice client={client} port={port.path} />
              </li>
            ))}
            {found.hid.map((device) => (
              <li key={device.path}>
                HID {device.vendorId.toString(16)}:{device.productId.toString(16)} {device.product ?? ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {discoverFailed !== null && <LoadFailure failure={discoverFailed} />}
      {loaded.status === 'failed' && <LoadFailure failure={loaded.failure} />}
      {loaded.status === 'loaded' &&
        roles.map((role) => {
          const current = loaded.data.devices.find((d) => d.role === role);
          return (
            <Fragment key={`${role}-${current === undefined ? '' : describeLink(current.link)}`}>
              <RoleEditor client={client} role={role} current={current} found={found} onChanged={reload} />
              {/* The A4 printer for proofs sits beside the receipt printer. */}
              {role === 'printer' && <A4PrinterEditor client={client} />}
            </Fragment>
          );
        })}
      <CameraTest client={client} />
    </section>
  );
}

function assignFailureText(failure: CallFailure<'tech.assign'>, t: Translate): string {
  switch (failure.kind) {
    case 'device-failed':
      return t('tech.devices.assignFailed', { detail: failure.detail });
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

function selfTestFailureText(failure: CallFailure<'tech.selfTest'>, t: Translate): string {
  switch (failure.kind) {
    case 'no-device':
      return t('tech.devices.noDevice');
    case 'self-test-failed':
      return t('tech.devices.testFailed', { detail: failure.detail });
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

interface RoleEditorProps {
  readonly client: KioskClient;
  readonly role: DeviceRole;
  readonly current: ResultOf<'tech.devices'>['devices'][number] | undefined;
  readonly found: ResultOf<'tech.discover'> | null;
  readonly onChanged: () => void;
}

function RoleEditor({ client, role, current, found, onChanged }: RoleEditorProps) {
  const { t } = useI18n();
  const link = current?.link;
  const [kind, setKind] = useState<Kind>(link?.kind ?? 'simulated');
  const [path, setPath] = useState(
    link !== undefined && (link.kind === 'serial' || link.kind === 'file') ? link.path : '',
  );
  const [baudRate, setBaudRate] = useState<(typeof baudRates)[number]>(link?.kind === 'serial' ? link.baudRate : 9600);
  const [host, setHost] = useState(link?.kind === 'tcp' ? link.host : '127.0.0.1');
  const [port, setPort] = useState(link?.kind === 'tcp' ? String(link.port) : '9100');
  const [hid, setHid] = useState(link?.kind === 'hid' ? `${link.vendorId}:${link.productId}` : '');
  const [paperWidth, setPaperWidth] = useState<58 | 80>(80);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const chosen = (): DeviceLink | null => {
    switch (kind) {
      case 'simulated':
      case 'none':
        return { kind };
      case 'serial':
        return path === '' ? null : { kind, path, baudRate };
      case 'file':
        return path === '' ? null : { kind, path };
      case 'tcp':
        return host === '' || !(Number(port) > 0) ? null : { kind, host, port: Number(port) };
      case 'hid': {
        const [vendorId, productId] = hid.split(':').map(Number);
        return vendorId === undefined || productId === undefined || Number.isNaN(vendorId) || Number.isNaN(productId)
          ? null
          : { kind, vendorId, productId };
      }
    }
  };
  const assign = async () => {
    const next = chosen();
    if (next === null) return setOutcome({ ok: false, text: t('tech.devices.incomplete') });
    const result = await client.call('tech.assign', {
      role,
      link: next,
      ...(role === 'printer' ? { paperWidth } : {}),
    });
    setOutcome(
      result.ok
        ? {
            ok: true,
            text: t(result.value.keptForNextStart ? 'tech.devices.assigned' : 'tech.devices.assignedNotKept', {
              link: describeLink(next),
            }),
          }
        : { ok: false, text: assignFailureText(result.error, t) },
    );
    onChanged();
  };
  const selfTest = async () => {
    setOutcome(null);
    const result = await client.call('tech.selfTest', { role });
    setOutcome(
      result.ok
        ? { ok: true, text: t('tech.devices.testPassed', { detail: result.value.detail }) }
        : { ok: false, text: selfTestFailureText(result.error, t) },
    );
  };

  return (
    <div class="notice-section device-role" data-testid={`device-${role}`}>
      <h2>
        {t(`staff.device.${role}`)}:{' '}
        <span data-testid={`device-${role}-link`}>{link === undefined ? '—' : describeLink(link)}</span> ·{' '}
        <span data-testid={`device-${role}-state`}>{current?.state ?? '—'}</span>
      </h2>
      <div class="button-row compact" role="group" aria-label={t('tech.devices.kind')}>
        {kinds.map((k) => (
          <button
            type="button"
            key={k}
            class="choice"
            aria-pressed={kind === k}
            data-testid={`device-${role}-kind-${k}`}
            onClick={() => setKind(k)}
          >
            {t(`tech.devices.kind.${k}`)}
          </button>
        ))}
      </div>
      {(kind === 'serial' || kind === 'file') && (
        <label class="field">
          {t('tech.devices.path')}
          <input
            type="text"
            data-testid={`device-${role}-path`}
            value={path}
            onInput={(e) => setPath(e.currentTarget.value)}
            list={`ports-${role}`}
          />
          <datalist id={`ports-${role}`}>
            {(found?.serial ?? []).map((p) => (
              <option key={p.path} value={p.path} />
            ))}
          </datalist>
        </label>
      )}
      {kind === 'serial' && found !== null && found.serial.length > 0 && (
        <div class="button-row compact">
          {found.serial.map((p) => (
            <button
              type="button"
              key={p.path}
              class="choice"
              aria-pressed={path === p.path}
              onClick={() => setPath(p.path)}
            >
              {p.path}
            </button>
          ))}
        </div>
      )}
      {kind === 'serial' && (
        <label class="field">
          {t('tech.devices.baud')}
          <select
            data-testid={`device-${role}-baud`}
            value={String(baudRate)}
            onChange={(e) => setBaudRate(Number(e.currentTarget.value) as (typeof baudRates)[number])}
          >
            {baudRates.map((b) => (
              <option key={b} value={String(b)}>
                {b}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === 'tcp' && (
        <div class="field-row">
          <label class="field">
            {t('tech.devices.host')}
            <input type="text" value={host} onInput={(e) => setHost(e.currentTarget.value)} />
          </label>
          <label class="field">
            {t('tech.devices.port')}
            <input type="text" inputMode="numeric" value={port} onInput={(e) => setPort(e.currentTarget.value)} />
          </label>
        </div>
      )}
      {kind === 'hid' && (
        <div class="button-row compact">
          {(found?.hid ?? []).length === 0 && <p>{t('tech.devices.discoverFirst')}</p>}
          {(found?.hid ?? []).map((d) => (
            <button
              type="button"
              key={d.path}
              class="choice"
              aria-pressed={hid === `${d.vendorId}:${d.productId}`}
              onClick={() => setHid(`${d.vendorId}:${d.productId}`)}
            >
              {d.product ?? 'HID'} {d.vendorId.toString(16)}:{d.productId.toString(16)}
            </button>
          ))}
        </div>
      )}
      {role === 'printer' && (
        <div class="button-row compact" role="group" aria-label={t('tech.devices.paperWidth')}>
          {([58, 80] as const).map((w) => (
            <button
              type="button"
              key={w}
              class="choice"
              aria-pressed={paperWidth === w}
              data-testid={`printer-width-${w}`}
              onClick={() => setPaperWidth(w)}
            >
              {t('tech.devices.paper', { width: w })}
            </button>
          ))}
        </div>
      )}
      <div class="button-row">
        <button type="button" class="primary" data-testid={`device-${role}-assign`} onClick={() => void assign()}>
          {t('tech.devices.assign')}
        </button>
        <button type="button" data-testid={`device-${role}-test`} onClick={() => void selfTest()}>
          {t(`tech.devices.test.${role}`)}
        </button>
      </div>
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId={`device-${role}-outcome`} />}
    </div>
  );
}

function cameraFailureText(failure: CallFailure<'tech.camera.set'>, t: Translate): string {
  switch (failure.kind) {
    case 'not-saved':
      return t('tech.camera.notSaved', { detail: failure.detail });
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

/** Lists the cameras, keeps the chosen one's label in the on-site settings, and captures one frame as its test. */
function CameraTest({ client }: { client: KioskClient }) {
  const { t } = useI18n();
  const [cameras, setCameras] = useState<MediaDeviceInfo[] | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const list = async () => {
    try {
      // Labels are only given once the page was allowed to use a camera.
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      stream.getTracks().forEach((track) => track.stop());
      setCameras((await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput'));
    } catch {
      setOutcome({ ok: false, text: t('tech.camera.none') });
    }
  };
  /** One frame from the camera, or null when the browser could not open it. */
  const frame = async (camera: MediaDeviceInfo): Promise<{ width: number; height: number } | null> => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: camera.deviceId } } });
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = stream;
      await video.play();
      stream.getTracks().forEach((track) => track.stop());
      return { width: video.videoWidth, height: video.videoHeight };
    } catch {
      return null;
    }
  };
  const test = async (camera: MediaDeviceInfo) => {
    const captured = await frame(camera);
    if (captured === null) return setOutcome({ ok: false, text: t('tech.camera.none') });
    const saved = await client.call('tech.camera.set', { label: camera.label });
    const size = `${captured.width}×${captured.height}`;
    setOutcome(
      saved.ok
        ? { ok: captured.width > 0, text: t('tech.camera.frame', { size, label: camera.label }) }
        : { ok: false, text: cameraFailureText(saved.error, t) },
    );
  };
  return (
    <div class="notice-section device-role" data-testid="device-camera">
      <h2>{t('tech.camera.title')}</h2>
      <div class="button-row compact">
        <button type="button" data-testid="camera-list" onClick={() => void list()}>
          {t('tech.camera.list')}
        </button>
        {(cameras ?? []).map((camera) => (
          <button type="button" key={camera.deviceId} class="choice" onClick={() => void test(camera)}>
            {camera.label === '' ? t('tech.camera.unnamed') : camera.label}
          </button>
        ))}
      </div>
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} testId="camera-outcome" />}
    </div>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';
import type { DeviceRole } from '../../electron/api/device-contract';
import type { CallFailure, KioskClient } from '../api/kiosk-client';
import { useI18n, type Translate } from '../i18n/i18n';
import { Outcome } from './staff-frame';
import { staffRefusalText } from './staff-failures';

/**
 * "Pin device" (固定设备名) for one discovered serial port, as `kiosk devices pin` does: the
 * service leaves a request for the root helper, and the helper's answer is shown when it appears.
 */
const roles: readonly DeviceRole[] = ['id-reader', 'printer', 'scanner'];
/** The helper usually answers within a second or two; after this the technician is told to look again. */
const answerChecks = 15;
const checkEveryMs = 1000;

function pinFailureText(failure: CallFailure<'tech.devices.pin'>, t: Translate): string {
  switch (failure.kind) {
    case 'not-pinnable':
      return t('tech.devices.pinNotPinnable');
    case 'not-written':
      return t('tech.devices.pinFailed', { detail: failure.detail });
    case 'not-allowed':
    case 'unavailable':
      return staffRefusalText(failure, t);
  }
}

export function PinDevice({ client, port }: { client: KioskClient; port: string }) {
  const { t } = useI18n();
  const [choosing, setChoosing] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [waiting, setWaiting] = useState(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const awaitAnswer = async () => {
    for (let check = 0; check < answerChecks && mounted.current; check++) {
      await new Promise((resolve) => setTimeout(resolve, checkEveryMs));
      const answer = await client.call('tech.devices.pinResult', {});
      if (!answer.ok) return setOutcome({ ok: false, text: staffRefusalText(answer.error, t) });
      const result = answer.value.result;
      if (result !== null) return setOutcome({ ok: result.ok, text: result.message });
    }
    setOutcome({ ok: false, text: t('tech.devices.pinNoAnswer') });
  };
  const pin = async (role: DeviceRole) => {
    setChoosing(false);
    setOutcome(null);
    const sent = await client.call('tech.devices.pin', { role, port });
    if (!sent.ok) return setOutcome({ ok: false, text: pinFailureText(sent.error, t) });
    setWaiting(true);
    await awaitAnswer();
    setWaiting(false);
  };

  return (
    <span class="pin-device">
      {choosing ? (
        <span class="button-row compact" role="group" aria-label={t('tech.devices.pinAs')}>
          {roles.map((role) => (
            <button type="button" key={role} class="choice" onClick={() => void pin(role)}>
              {t(`staff.device.${role}`)}
            </button>
          ))}
        </span>
      ) : (
        <button
          type="button"
          class="choice"
          disabled={waiting}
          data-testid={`devices-pin-${port}`}
          onClick={() => setChoosing(true)}
        >
          {waiting ? t('tech.devices.pinWaiting') : t('tech.devices.pin')}
        </button>
      )}
      {outcome !== null && <Outcome ok={outcome.ok} text={outcome.text} />}
    </span>
  );
}

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';

/**
 * One way to call staff: the bottom bar's 呼叫工作人员 and an error screen's 叫工作人员 do the same
 * thing (the app provides it), so a call is counted, shown and answered the same way.
 */
export const CallStaffContext = createContext<() => void>(() => undefined);

/** 叫工作人员 on a screen that went wrong, beside 再试一次 (issue 12). */
export function CallStaffButton() {
  const { t } = useI18n();
  const callStaff = useContext(CallStaffContext);
  return (
    <button type="button" class="staff" data-testid="problem-call-staff" onClick={callStaff}>
      {t('problem.callStaff')}
    </button>
  );
}

/** 再试一次: the screen's own way to go again (read the card again, look up again, send again). */
export function RetryButton({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" class="primary" data-testid="retry" onClick={onRetry}>
      {t('problem.retry')}
    </button>
  );
}

import type { PrintOutcome, SubmitResult } from '../../../electron/api/journey-contract';
import type { Service } from '../../../kiosk-config/catalogue-schema';
import { useI18n } from '../../i18n/i18n';

/**
 * The case number in big digits (or the local number while offline), what happens next, what to
 * bring, and the receipt as it prints — its preview rendered from the same model as the paper.
 */
export function SubmittedScreen(props: {
  result: SubmitResult;
  service: Service;
  print: PrintOutcome | 'printing';
  onReprint: () => void;
  onContinue: () => void;
}) {
  const { t, l } = useI18n();
  const { result, service } = props;
  const online = result.caseNumber !== null;
  const digitsCode = `${result.verificationCode.slice(0, 5)} ${result.verificationCode.slice(5)}`;
  return (
    <>
      <h1 data-speak>{online ? t('submitted.title') : t('submitted.offlineTitle')}</h1>
      <div class="case-number">
        <span>{online ? t('submitted.caseNumber') : t('submitted.localNumber')}</span>
        <strong data-testid="case-number" data-speak>
          {result.caseNumber ?? result.localNumber}
        </strong>
      </div>
      {!online && (
        <p class="banner" data-speak data-testid="offline-note">
          {t('submitted.offline')}
        </p>
      )}
      <section class="notice-section">
        <h2>{t('submitted.next')}</h2>
        <p data-speak>{l(service.notice.afterwards)}</p>
      </section>
      <section class="notice-section">
        <h2>{t('submitted.bring')}</h2>
        {service.materialsToBring.length === 0 ? (
          <p data-speak>{t('submitted.nothingToBring')}</p>
        ) : (
          <ul>
            {service.materialsToBring.map((m) => (
              <li key={m['zh-CN']} data-speak>
                {l(m)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <p>
        {t('common.labelled', { label: t('submitted.verification'), value: '' })}
        <strong data-testid="verification-code">{digitsCode}</strong>
      </p>
      <p
        role="status"
        data-testid="print-status"
        data-outcome={props.print}
        data-speak
        class={props.print === 'printed' || props.print === 'printing' ? '' : 'field-error'}
      >
        {props.print === 'printing'
          ? t('submitted.printing')
          : props.print === 'printed'
            ? t('submitted.printed')
            : t(`submitted.printProblem.${props.print}`)}
      </p>
      <div class="button-row">
        {props.print !== 'printing' && props.print !== 'printed' && (
          <button type="button" data-testid="reprint" onClick={props.onReprint}>
            {t('submitted.reprint')}
          </button>
        )}
        <button type="button" class="primary" data-testid="next" onClick={props.onContinue}>
          {t('submitted.continue')}
        </button>
      </div>
      <figure class="receipt-preview">
        <img
          src={`data:image/png;base64,${result.receiptPngBase64}`}
          alt={t('submitted.receiptPreview')}
          data-testid="receipt-preview"
        />
        <figcaption>{t('submitted.receiptPreview')}</figcaption>
      </figure>
    </>
  );
}

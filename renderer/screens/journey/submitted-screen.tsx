import type { PrintOutcome, SubmitResult } from '../../../electron/api/journey-contract';
import type { Hall, Service } from '../../../kiosk-config/catalogue-schema';
import { PagedList } from '../../components/paged-list';
import { ScreenBody } from '../../components/screen-body';
import { useI18n } from '../../i18n/i18n';
import { groupedCode, spokenDigits } from '../../journey/digit-groups';

/** Where the card and the receipt come out of the terminal, so the instruction does not depend on reading. */
export function TakeCardAndReceiptPicture() {
  return (
    <svg class="take-picture" viewBox="0 0 360 300" aria-hidden="true">
      {/* The terminal: screen on top, the 读卡区 and the receipt slot below it. */}
      <rect x="60" y="10" width="240" height="280" rx="18" fill="#d9d4c5" stroke="#4a4a4a" stroke-width="5" />
      <rect x="85" y="30" width="190" height="120" rx="8" fill="#ffffff" stroke="#4a4a4a" stroke-width="4" />
      <rect x="95" y="185" width="90" height="60" rx="8" fill="#ffffff" stroke="#0b57a4" stroke-width="5" />
      <circle cx="118" cy="212" r="10" fill="#0b57a4" />
      <path d="M135 205h35M135 222h25" stroke="#0b57a4" stroke-width="5" stroke-linecap="round" />
      <rect x="205" y="180" width="80" height="12" rx="4" fill="#1a1a1a" />
      <path d="M215 192h60v70l-10-6-10 6-10-6-10 6-10-6-10 6z" fill="#ffffff" stroke="#4a4a4a" stroke-width="4" />
      <path d="M225 215h40M225 232h30" stroke="#4a4a4a" stroke-width="4" stroke-linecap="round" />
      {/* Arrows: take them. */}
      <path d="M140 250v30m-12-12 12 12 12-12" stroke="#a8231b" stroke-width="6" fill="none" stroke-linecap="round" />
      <path d="M245 270v22m-12-12 12 12 12-12" stroke="#a8231b" stroke-width="6" fill="none" stroke-linecap="round" />
    </svg>
  );
}

/**
 * Done, and what to do now: 办好了 and the numbers to keep, big, at the top (left in landscape): the
 * receipt's verification code in grouped digits (the same offline) and the case number (the local
 * number offline), which staff and the hall ask for. Then take the card and the receipt (a picture
 * shows where they come out) and the print status; below (right in landscape) the hall's address and
 * hours, what happens next and what to bring, a page at a time where they do not fit: nothing is ever
 * scrolled out of sight or left under the action bar. No way back into the application: 办完了.
 */
export function SubmittedScreen(props: {
  result: SubmitResult;
  service: Service;
  hall: Hall | undefined;
  terminalId: string;
  print: PrintOutcome | 'printing';
  onReprint: () => void;
  onContinue: () => void;
}) {
  const { t, l } = useI18n();
  const { result, service, hall } = props;
  const online = result.caseNumber !== null;
  const printFailed = props.print !== 'printing' && props.print !== 'printed';
  return (
    <ScreenBody
      side={
        <>
          <div class="take-row">
            <TakeCardAndReceiptPicture />
            <div class="take-words">
              <p class="instruction big" data-speak>
                {t('submitted.takeCardAndReceipt')}
              </p>
              <p
                role="status"
                data-testid="print-status"
                data-outcome={props.print}
                data-speak
                class={printFailed ? 'field-error' : 'print-status'}
              >
                {props.print === 'printing'
                  ? t('submitted.printing')
                  : props.print === 'printed'
                    ? t('submitted.printed')
                    : t(`submitted.printProblem.${props.print}`)}
              </p>
            </div>
          </div>
          {/* Each fact its own item, so a page can end between them (large text, landscape). */}
          <PagedList class="submitted-list">
            {!online && (
              <p class="banner" data-speak data-testid="offline-note">
                {t('submitted.offline')}
              </p>
            )}
            {hall !== undefined && (
              <section class="notice-section" data-testid="hall">
                <h2>{l(hall.name)}</h2>
                <p data-speak>{t('submitted.hallAddress', { address: l(hall.address) })}</p>
              </section>
            )}
            {hall !== undefined && (
              <p class="notice-section" data-speak>
                {t('submitted.hallHours', { hours: l(hall.hours) })}
              </p>
            )}
            <p class="notice-section" data-speak>
              {l(service.notice.afterwards)}
            </p>
            {service.materialsToBring.length > 0 && <h2 class="submitted-heading">{t('submitted.bring')}</h2>}
            {service.materialsToBring.map((m) => (
              <p key={m['zh-CN']} class="notice-section" data-speak>
                {l(m)}
              </p>
            ))}
            <p class="staff-numbers">
              {t('submitted.terminal')} {props.terminalId}
            </p>
            {printFailed && (
              <figure class="receipt-preview">
                <img
                  src={`data:image/png;base64,${result.receiptPngBase64}`}
                  alt={t('submitted.receiptPreview')}
                  data-testid="receipt-preview"
                />
                <figcaption>{t('submitted.receiptPreview')}</figcaption>
              </figure>
            )}
          </PagedList>
        </>
      }
      secondary={
        printFailed && (
          <button type="button" data-testid="reprint" onClick={props.onReprint}>
            {t('submitted.reprint')}
          </button>
        )
      }
      primary={
        <button type="button" class="primary" data-testid="next" onClick={props.onContinue}>
          {t('submitted.finished')}
        </button>
      }
    >
      <h1 data-speak>{online ? t('submitted.title') : t('submitted.offlineTitle')}</h1>
      {/* Each number beside its name, on one line where the width allows: both stay in sight. */}
      <div class="case-number">
        <p class="number-row">
          <span>{t('submitted.keepNumber')}</span>
          {/* The audio keypad mode reads it digit by digit: a resident who cannot see keeps it by ear. */}
          <strong
            data-testid="keep-number"
            data-speak
            data-keypad-speak-text={`${t('submitted.keepNumber')} ${spokenDigits(groupedCode(result.verificationCode))}`}
          >
            {groupedCode(result.verificationCode)}
          </strong>
        </p>
        <p
          class="number-row"
          data-keypad-speak
          data-keypad-speak-text={`${online ? t('submitted.caseNumber') : t('submitted.localNumber')} ${spokenDigits(
            result.caseNumber ?? result.localNumber,
          )}`}
        >
          <span>{online ? t('submitted.caseNumber') : t('submitted.localNumber')}</span>
          <strong class="case-number-value" data-testid="case-number">
            {result.caseNumber ?? result.localNumber}
          </strong>
        </p>
        <p class="keep-receipt" data-speak>
          {t('submitted.keepReceipt')}
        </p>
      </div>
    </ScreenBody>
  );
}

import { useContext, useEffect, useState } from 'preact/hooks';
import type { AnswerValue } from '../../../electron/api/journey-contract';
import type { Question, Service } from '../../../kiosk-config/catalogue-schema';
import { PagedList } from '../../components/paged-list';
import { CallStaffButton } from '../../components/call-staff';
import { ScreenBody } from '../../components/screen-body';
import { useI18n, type I18n } from '../../i18n/i18n';
import { applicantCard, representativeCard, type Draft } from '../../journey/draft';
import type { MessageKey } from '../../i18n/messages-zh';
import { groupedBy, groupedPhone } from '../../journey/digit-groups';
import { parsePhoneAnswer } from '../../../kiosk-config/answer-rules';
import { RemoteHelperContext } from '../../remote-help/proposals';
import { useKeypadMode } from '../../keypad/keypad-mode';

/** Every answer with a 修改 button; the submit button names the action. */
export type EditTarget =
  | { kind: 'question'; index: number }
  | { kind: 'document'; index: number }
  | { kind: 'signature' }
  | { kind: 'parties' };

/** How long a bank card number shown in full stays: long enough to compare with the card, not left for the next person. */
export const bankRevealMs = 10_000;

const maskedBankNumber = (text: string) => `${text.slice(0, 4)} **** **** ${text.slice(-4)}`;

/**
 * A bank card number, masked; one tap shows it whole (grouped 4-4-4-4) so the resident can compare
 * it with the card, and it hides again by itself after bankRevealMs.
 */
function BankNumber({ id, number }: { id: string; number: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(false), bankRevealMs);
    return () => clearTimeout(timer);
  }, [shown]);
  return (
    <span class="check-value">
      <span data-testid={`check-${id}`}>{shown ? groupedBy(number, 4) : maskedBankNumber(number)}</span>{' '}
      <button
        type="button"
        class="reveal"
        data-testid={`reveal-${id}`}
        aria-pressed={shown}
        onClick={() => setShown(!shown)}
      >
        {shown ? t('check.hideNumber') : t('check.showNumber')}
      </button>
    </span>
  );
}

function documentText(state: Draft['documents'][string] | undefined, i18n: I18n): string {
  return state?.kind === 'photo'
    ? i18n.t('check.photoTaken')
    : state?.kind === 'staff-check'
      ? i18n.t('documents.staffCheck')
      : i18n.t('check.photoSkipped');
}

/** The service point's PIN names a role, not a person: no id then. */
const byPin = (staffId: string) => staffId === 'staff' || staffId === 'technician';

/** How the resident signed, in words: a written name (the picture shows it), a witnessed mark, a spoken confirmation. */
function signatureText(draft: Draft, i18n: I18n): string {
  const { t } = i18n;
  const spoken = draft.signatureSpoken;
  if (spoken !== null)
    return spoken.staffId === null
      ? t('check.spoken')
      : byPin(spoken.staffId)
        ? t('check.spokenWitnessedByPin')
        : t('check.spokenWitnessed', { staffId: spoken.staffId });
  const mark = draft.signatureMark;
  if (mark !== null)
    return byPin(mark.staffId) ? t('check.markWitnessedByPin') : t('check.markWitnessed', { staffId: mark.staffId });
  return draft.signaturePng === null ? t('check.notAnswered') : t('check.signedByName');
}

function phoneText(value: string, i18n: I18n): string {
  const answer = parsePhoneAnswer(value);
  if (answer === null) return value;
  switch (answer.whose) {
    case 'own':
      return groupedPhone(answer.digits);
    case 'family':
      return i18n.t('phone.familyShown', { number: groupedPhone(answer.digits) });
    case 'none':
      return i18n.t('phone.noPhone');
  }
}

function answerText(question: Question, value: AnswerValue | undefined, i18n: I18n): string {
  if (value === undefined || value === '') return i18n.t('check.notAnswered');
  switch (question.type) {
    case 'yes-no':
      return value === true ? i18n.t('question.yes') : i18n.t('question.no');
    case 'choice': {
      const option = question.options.find((o) => o.value === value);
      return option === undefined ? String(value) : i18n.l(option.label);
    }
    case 'bank-account':
      return maskedBankNumber(String(value));
    case 'number':
      return `${String(value)}${question.unit === undefined ? '' : ` ${i18n.l(question.unit)}`}`;
    case 'phone':
      return phoneText(String(value), i18n);
    case 'certificate-number':
    case 'date':
    case 'village-group':
    case 'text':
    case 'address':
      return String(value);
  }
}

export function CheckScreen(props: {
  service: Service;
  draft: Draft;
  submitting: boolean;
  /** Why the last submission did not go through. */
  problem: MessageKey | null;
  /** False once the application was saved (without its receipt): it must not be sent twice. */
  canSubmit: boolean;
  onEdit: (target: EditTarget) => void;
  onSubmit: () => void;
}) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const keypadMode = useKeypadMode();
  const { service, draft } = props;
  const applicant = applicantCard(draft);
  const representative = representativeCard(draft);
  const remoteHelper = useContext(RemoteHelperContext);
  return (
    <ScreenBody
      secondary={props.problem !== null && <CallStaffButton />}
      primary={
        props.canSubmit && (
          <button
            type="button"
            class="primary"
            data-testid="submit"
            disabled={props.submitting}
            onClick={props.onSubmit}
          >
            {props.submitting ? t('submit.saving') : props.problem !== null ? t('problem.retry') : t('check.submit')}
          </button>
        )
      }
    >
      <h1 data-speak>{t('check.title')}</h1>
      {/* The audio keypad mode reads every row (data-keypad-speak), then how to change one. */}
      {keypadMode.active && (
        <p class="instruction" data-keypad-speak>
          {t('check.howToChange', { change: t('question.edit') })}
        </p>
      )}
      <p class="service-name" data-keypad-speak>
        {l(service.name)}
      </p>
      <PagedList as="ul" class="check-list">
        <li
          class="check-row"
          data-keypad-speak
          data-keypad-speak-text={t('check.row', { label: t('check.applicant'), value: applicant?.nameMasked ?? '' })}
        >
          <span class="check-label">{t('check.applicant')}</span>
          <span class="check-value">
            {applicant === undefined ? '' : `${applicant.nameMasked}  ${applicant.idNumberMasked}`}
          </span>
        </li>
        {remoteHelper !== null && (
          <li
            class="check-row"
            data-testid="check-remote-helper"
            data-keypad-speak
            data-keypad-speak-text={t('check.row', {
              label: t('check.remoteHelper'),
              value: t('check.remoteHelperValue', { name: remoteHelper }),
            })}
          >
            <span class="check-label">{t('check.remoteHelper')}</span>
            <span class="check-value">{t('check.remoteHelperValue', { name: remoteHelper })}</span>
          </li>
        )}
        {representative !== undefined && (
          <li
            class="check-row"
            data-keypad-speak
            data-keypad-speak-text={t('check.row', {
              label: t('check.representative'),
              value: representative.nameMasked,
            })}
          >
            <span class="check-label">{t('check.representative')}</span>
            <span class="check-value">{`${representative.nameMasked}  ${representative.idNumberMasked}`}</span>
            <button type="button" data-testid="edit-parties" onClick={() => props.onEdit({ kind: 'parties' })}>
              {t('question.edit')}
            </button>
          </li>
        )}
        {service.questions.map((question, index) => (
          <li
            class="check-row"
            key={question.id}
            data-keypad-speak
            data-keypad-speak-text={t('check.row', {
              label: l(question.label),
              value: answerText(question, draft.answers[question.id], i18n),
            })}
          >
            <span class="check-label">{l(question.label)}</span>
            {question.type === 'bank-account' && typeof draft.answers[question.id] === 'string' ? (
              <BankNumber id={question.id} number={String(draft.answers[question.id])} />
            ) : (
              <span class="check-value" data-testid={`check-${question.id}`}>
                {answerText(question, draft.answers[question.id], i18n)}
              </span>
            )}
            <button
              type="button"
              data-testid={`edit-${question.id}`}
              aria-label={t('common.labelled', { label: t('question.edit'), value: l(question.label) })}
              onClick={() => props.onEdit({ kind: 'question', index })}
            >
              {t('question.edit')}
            </button>
          </li>
        ))}
        {service.documents.map((doc, index) => {
          const state = draft.documents[doc.id];
          return (
            <li
              class="check-row"
              key={doc.id}
              data-keypad-speak
              data-keypad-speak-text={t('check.row', { label: l(doc.label), value: documentText(state, i18n) })}
            >
              <span class="check-label">{l(doc.label)}</span>
              <span class="check-value">{documentText(state, i18n)}</span>
              <button
                type="button"
                aria-label={t('common.labelled', { label: t('question.edit'), value: l(doc.label) })}
                onClick={() => props.onEdit({ kind: 'document', index })}
              >
                {t('question.edit')}
              </button>
            </li>
          );
        })}
        <li
          class="check-row"
          data-keypad-speak
          data-keypad-speak-text={t('check.row', { label: t('check.signature'), value: signatureText(draft, i18n) })}
        >
          <span class="check-label">{t('check.signature')}</span>
          <span class="check-value">
            {draft.signaturePng !== null && draft.signatureSpoken === null && (
              <img class="signature-thumb" src={draft.signaturePng} alt={t('check.signature')} />
            )}
            {draft.signatureSpoken !== null && <span data-testid="check-spoken">{signatureText(draft, i18n)}</span>}
            {draft.signatureMark !== null && <span data-testid="check-mark-witness">{signatureText(draft, i18n)}</span>}
          </span>
          <button
            type="button"
            aria-label={t('common.labelled', { label: t('question.edit'), value: t('check.signature') })}
            onClick={() => props.onEdit({ kind: 'signature' })}
          >
            {t('question.edit')}
          </button>
        </li>
      </PagedList>
      {props.problem !== null && (
        <p class="field-error" role="alert" data-speak data-testid="submit-problem">
          {t(props.problem)}
        </p>
      )}
    </ScreenBody>
  );
}

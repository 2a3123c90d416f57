import type { QueueItem } from '../../electron/api/staff-contract';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { useI18n, type I18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages-zh';

/**
 * A platform refusal told to staff in their words: which item of the application it did not accept
 * (the question as the resident saw it, a photo, the signature), the platform's own detail, and the
 * one next step — instead of `422 Invalid application; answers.phone: …`. The raw line stays
 * folded away for a technician.
 */
type Refused = QueueItem['refusedFields'][number];
type FieldKind = 'answer' | 'upload' | 'applicant' | 'other';

function fieldKind(field: string): FieldKind {
  if (field.startsWith('answers.')) return 'answer';
  if (field.startsWith('attachments') || field.startsWith('signature')) return 'upload';
  if (field.startsWith('applicant')) return 'applicant';
  return 'other';
}

function fieldText(refused: Refused, item: QueueItem, catalogue: Catalogue, i18n: I18n): string {
  const { t, l } = i18n;
  const kind = fieldKind(refused.field);
  switch (kind) {
    case 'answer': {
      const id = refused.field.slice('answers.'.length);
      const service = catalogue.services.find((s) => s.code === item.serviceCode);
      const question = service?.questions.find((q) => q.id === id);
      return t('staff.refusal.answer', {
        label: question === undefined ? id : l(question.label),
        detail: refused.detail,
      });
    }
    case 'upload':
      return t('staff.refusal.upload', { detail: refused.detail });
    case 'applicant':
      return t('staff.refusal.applicant', { detail: refused.detail });
    case 'other':
      return t('staff.refusal.other', { field: refused.field, detail: refused.detail });
  }
}

/** The most helpful step first: an answer must be given again; a missing upload goes with a resend. */
function nextStep(kinds: ReadonlySet<FieldKind>): MessageKey {
  if (kinds.has('answer') || kinds.has('applicant')) return 'staff.refusal.nextApplyAgain';
  if (kinds.has('upload')) return 'staff.refusal.nextResend';
  return 'staff.advice.fix-and-retry';
}

export function QueueRefusal(props: { item: QueueItem; catalogue: Catalogue }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { item } = props;
  if (item.reason === null) return null;
  const kinds = new Set(item.refusedFields.map((f) => fieldKind(f.field)));
  return (
    <>
      {item.refusedFields.length > 0 && (
        <div class="queue-refusal" data-testid="queue-refusal">
          <p>{t('staff.refusal.title')}</p>
          <ul>
            {item.refusedFields.map((refused) => (
              <li key={refused.field}>{fieldText(refused, item, props.catalogue, i18n)}</li>
            ))}
          </ul>
        </div>
      )}
      {(item.refusedFields.length > 0 || item.advice !== null) && (
        <div class="queue-advice" data-testid="queue-advice">
          {item.refusedFields.length > 0
            ? t(nextStep(kinds))
            : item.advice !== null && t(`staff.advice.${item.advice}`)}
        </div>
      )}
      <details class="queue-reason" data-testid="queue-reason">
        <summary>{t('staff.queue.reason')}</summary>
        {item.reason}
      </details>
    </>
  );
}

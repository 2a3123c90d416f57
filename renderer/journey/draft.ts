import type { AnswerValue, CardView, Parties, SubmitResult } from '../../electron/api/journey-contract';
import type { PrefillSource, Service } from '../../kiosk-config/catalogue-schema';

/**
 * Everything the resident has given so far, in memory only. It lives in the per-person component
 * tree, so the wipe (remount) drops it; nothing is written to storage in the page.
 */
export interface Draft {
  readonly cards: readonly CardView[];
  readonly parties: Parties | null;
  readonly answers: Readonly<Record<string, AnswerValue>>;
  /** By requirement id: the stored hash, or skipped / staff-check. */
  readonly documents: Readonly<
    Record<
      string,
      { kind: 'photo'; sha256: string; previewUrl: string } | { kind: 'skipped' } | { kind: 'staff-check' }
    >
  >;
  readonly consented: boolean;
  readonly faceConsent: 'not-needed' | 'granted' | 'staff-check';
  readonly signaturePng: string | null;
  /** 不会写字: the signature is a mark this member of staff confirmed on the spot; null for a written name. */
  readonly signatureMark: { readonly staffId: string } | null;
  /**
   * The audio keypad mode: the resident heard the confirmation and pressed enter instead of signing
   * (the image shows the words they confirmed); the member of staff who witnessed it, if one did.
   */
  readonly signatureSpoken: { readonly staffId: string | null } | null;
  readonly submitted: SubmitResult | null;
}

/** A fresh draft per person: nothing shared between people, so the wipe may empty it in place. */
export function newDraft(): Draft {
  return {
    cards: [],
    parties: null,
    answers: {},
    documents: {},
    consented: false,
    faceConsent: 'not-needed',
    signaturePng: null,
    signatureMark: null,
    signatureSpoken: null,
    submitted: null,
  };
}

export type DraftAction =
  | { type: 'card'; card: CardView }
  | { type: 'parties'; parties: Parties }
  | { type: 'answer'; questionId: string; value: AnswerValue }
  | { type: 'document'; requirementId: string; value: Draft['documents'][string] }
  | { type: 'consent'; face: Draft['faceConsent'] }
  | { type: 'signature'; png: string | null; mark: Draft['signatureMark']; spoken?: Draft['signatureSpoken'] }
  | { type: 'submitted'; result: SubmitResult };

export function updateDraft(draft: Draft, action: DraftAction): Draft {
  switch (action.type) {
    case 'card':
      // The same card read twice (lifted and put back) is one card.
      if (
        draft.cards.some(
          (c) => c.idNumberMasked === action.card.idNumberMasked && c.nameMasked === action.card.nameMasked,
        )
      )
        return draft;
      return { ...draft, cards: [...draft.cards, action.card].slice(-2) };
    case 'parties':
      return { ...draft, parties: action.parties };
    case 'answer':
      return { ...draft, answers: { ...draft.answers, [action.questionId]: action.value } };
    case 'document':
      return { ...draft, documents: { ...draft.documents, [action.requirementId]: action.value } };
    case 'consent':
      return { ...draft, consented: true, faceConsent: action.face };
    case 'signature':
      return { ...draft, signaturePng: action.png, signatureMark: action.mark, signatureSpoken: action.spoken ?? null };
    case 'submitted':
      return { ...draft, submitted: action.result };
  }
}

/**
 * Empties a draft in place (the wipe). Drafts are otherwise immutable; this runs once, when the
 * person's component tree is gone, so that nothing still referencing the object can read their data.
 */
export function scrubDraft(draft: Draft): void {
  const wipe = (value: unknown) => {
    if (Array.isArray(value)) value.length = 0;
    else if (typeof value === 'object' && value !== null)
      for (const key of Object.keys(value)) delete (value as Record<string, unknown>)[key];
  };
  wipe(draft.answers);
  wipe(draft.documents);
  for (const card of draft.cards) wipe(card);
  wipe(draft.cards);
  if (draft.submitted !== null) wipe(draft.submitted);
  wipe(draft);
}

/** The applicant: the first card for oneself; the second card when acting for someone else. */
export function applicantCard(draft: Draft): CardView | undefined {
  return draft.parties?.mode === 'other' ? draft.cards[1] : draft.cards[0];
}

export function representativeCard(draft: Draft): CardView | undefined {
  return draft.parties?.mode === 'other' ? draft.cards[0] : undefined;
}

/** What the card answers, so nothing read from it is typed again. */
export function prefillValue(card: CardView | undefined, source: PrefillSource | undefined): string | undefined {
  if (card === undefined || source === undefined) return undefined;
  switch (source) {
    case 'card.name':
      return card.nameMasked;
    case 'card.gender':
      return card.gender;
    case 'card.birthDate':
      return card.birthDate;
    case 'card.age':
      return String(card.age);
    case 'card.address':
      return card.address;
    case 'card.idNumber':
      return card.idNumberMasked;
    case 'card.nation':
      return card.nation;
  }
}

/** Services that suit the person come first, then by popularity. */
export function suggestedFirst(
  services: readonly Service[],
  card: CardView | undefined,
): Array<{ service: Service; suggested: boolean }> {
  return services
    .map((service) => ({
      service,
      suggested: card !== undefined && service.suggestedFor !== undefined && card.age >= service.suggestedFor.minAge,
    }))
    .sort(
      (a, b) =>
        Number(b.suggested) - Number(a.suggested) ||
        (b.suggested ? (b.service.suggestedFor?.minAge ?? 0) - (a.service.suggestedFor?.minAge ?? 0) : 0) ||
        b.service.popularity - a.service.popularity,
    );
}

/**
 * The steps after the notice, for "第 3 步，共 7 步". Consent comes before the documents: photos
 * (a face photo above all) are collected only once the resident has agreed to their use.
 */
export type StepName = 'identify' | 'parties' | 'questions' | 'consent' | 'documents' | 'signature' | 'check';
export function stepsFor(service: Service): StepName[] {
  return [
    'identify',
    'parties',
    'questions',
    'consent',
    ...(service.documents.length > 0 ? (['documents'] as const) : []),
    'signature',
    'check',
  ];
}

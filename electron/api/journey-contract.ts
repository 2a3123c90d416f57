import { z } from 'zod';
import { cardTypes, genders, readProblems } from '../../foundation/id-card-vocabulary';
import { deviceStatusEventSchema, keypadKeyEventSchema } from './device-contract';
import { kinds, method } from './failures';

/**
 * The resident journey's part of the contract: cards read for the session, documents, submission,
 * the receipt, rating and progress lookup. Personal data crosses to the renderer only as far as
 * the screen needs it: names and ID numbers arrive masked; the address arrives whole because the
 * resident may correct it.
 */
export const cardTypeSchema = z.enum(cardTypes);

export const cardViewSchema = z.strictObject({
  cardType: cardTypeSchema,
  nameMasked: z.string(),
  gender: z.enum(genders),
  /** YYYY-MM-DD */
  birthDate: z.string(),
  age: z.number().int().min(0).max(150),
  nation: z.string(),
  address: z.string(),
  idNumberMasked: z.string(),
  idNumberValid: z.boolean(),
  expired: z.boolean(),
});
export type CardView = z.infer<typeof cardViewSchema>;

/** A read problem of the card itself, or the reader gone. */
export const cardProblemSchema = z.enum([...readProblems, 'reader-unavailable']);
export type CardProblem = z.infer<typeof cardProblemSchema>;

export const partiesSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('self') }),
  z.strictObject({
    mode: z.literal('other'),
    relationship: z.enum(['spouse', 'child', 'parent', 'relative', 'village-official']),
  }),
]);
export type Parties = z.infer<typeof partiesSchema>;

export const answerValueSchema = z.union([z.string().max(500), z.number(), z.boolean()]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const submitParamsSchema = z.strictObject({
  serviceCode: z.string().min(1),
  parties: partiesSchema,
  answers: z.record(z.string(), answerValueSchema),
  documents: z.array(z.strictObject({ requirementId: z.string(), sha256 })).max(20),
  signaturePngBase64: z.base64().max(2_000_000),
  /**
   * 'mark': the resident cannot write (不会写字) and drew a mark (✗ or circle) instead of a name. The
   * service accepts it only when staff confirmed that very mark on the spot (staff.witnessMark).
   * 'spoken': the resident cannot see (the audio keypad mode): they heard the confirmation and
   * pressed the enter key; the image shows the words they confirmed. Recorded as such, with the
   * member of staff who witnessed it when one did (staff.witnessMark on that image).
   * Absent: a written name.
   */
  signatureKind: z.enum(['name', 'mark', 'spoken']).optional(),
  consent: z.strictObject({
    textVersion: z.string().min(1),
    /** For a service asking for a face photo: the separate biometric consent, or a staff check instead. */
    face: z.enum(['not-needed', 'granted', 'staff-check']),
  }),
});
export type SubmitParams = z.infer<typeof submitParamsSchema>;

export const submitResultSchema = z.strictObject({
  applicationId: z.uuid(),
  localNumber: z.string(),
  /** Known when the platform answered in time; otherwise the receipt carries the local number. */
  caseNumber: z.string().nullable(),
  verificationCode: z.string(),
  receiptPngBase64: z.base64(),
});
export type SubmitResult = z.infer<typeof submitResultSchema>;

export const printOutcomeSchema = z.enum(['printed', 'paper-out', 'cover-open', 'offline', 'no-printer', 'error']);
export type PrintOutcome = z.infer<typeof printOutcomeSchema>;

export const caseStatusViewSchema = z.enum([
  'saved-on-terminal',
  /** Printed at another terminal that has not sent it to the platform yet. */
  'saved-elsewhere',
  'submitted',
  'accepted',
  'needs-material',
  'completed',
  'rejected',
]);
export type CaseStatusView = z.infer<typeof caseStatusViewSchema>;

/** Where one application stands, as the resident is told. */
export const caseProgressSchema = z.strictObject({
  serviceCode: z.string(),
  localNumber: z.string(),
  caseNumber: z.string().nullable(),
  status: caseStatusViewSchema,
  updatedAt: z.string(),
  note: z.string().optional(),
  /**
   * Filed at another terminal, answered by the platform's receipt check: only what the paper shows
   * (service, numbers, status, the applicant's masked name); never a note or anything else.
   */
  elsewhere: z.strictObject({ maskedName: z.string().max(40) }).optional(),
});
export type CaseProgress = z.infer<typeof caseProgressSchema>;

export const progressResultSchema = z.discriminatedUnion('found', [
  z.strictObject({
    found: z.literal(false),
    /** unavailable: a receipt of another terminal, and the platform could not be asked. */
    reason: z.enum(['unknown', 'invalid-receipt', 'unavailable']),
  }),
  caseProgressSchema.extend({ found: z.literal(true) }),
]);
export type ProgressResult = z.infer<typeof progressResultSchema>;

/** At most this many of a person's applications are shown for their ID card, newest first. */
export const maxCasesByCard = 5;

/** The resident session has ended (timeout, wipe): the renderer goes back to the idle screen. */
const sessionFailures = kinds('no-session');

export const submitFailureSchema = kinds(
  'no-session',
  /** The service is not in the catalogue (it changed under the resident). */
  'unknown-service',
  /** The applicant's card was not read in this session (acting for someone else: their card is the second). */
  'card-missing',
  /** A document the page names was not photographed in this session. */
  'document-missing',
  /** What was sent does not make a complete application. */
  'incomplete',
  /** A mark instead of a name that no member of staff confirmed in this session (or another mark than theirs). */
  'mark-not-witnessed',
  /** The terminal could not save (disk, database): nothing was saved. */
  'storage-failed',
  /** Too little disk space to take an application safely: nothing was saved; staff, or another day. */
  'storage-full',
  /** Saved, but its receipt could not be made: staff can reprint it from the queue. */
  'receipt-failed',
);
export type SubmitFailure = z.output<typeof submitFailureSchema>;

export const journeyMethods = {
  'journey.cards': method(
    z.strictObject({}),
    z.strictObject({ cards: z.array(cardViewSchema).max(2) }),
    sessionFailures,
  ),
  'journey.attachDocument': method(
    z.strictObject({ requirementId: z.string().min(1).max(40), jpegBase64: z.base64().max(4_000_000) }),
    z.strictObject({ sha256, bytes: z.number().int().positive() }),
    kinds('no-session', 'not-a-jpeg', 'too-many-documents'),
  ),
  'journey.submit': method(submitParamsSchema, submitResultSchema, submitFailureSchema),
  /** Printer trouble is an outcome the resident is told about, not a failure of the call. */
  'receipt.print': method(
    z.strictObject({ applicationId: z.uuid(), reprint: z.boolean() }),
    z.strictObject({ outcome: printOutcomeSchema }),
    kinds('not-found'),
  ),
  'rating.submit': method(
    z.strictObject({
      applicationId: z.uuid(),
      level: z.number().int().min(1).max(5),
      reasons: z.array(z.string().max(40)).max(8),
    }),
    z.strictObject({}),
    // storage-full: not kept (the disk is full); the resident is thanked all the same.
    kinds('not-found', 'invalid-rating', 'already-rated', 'storage-full'),
  ),
  'progress.lookup': method(
    z.union([
      z.strictObject({ payload: z.string().min(1).max(1000) }),
      z.strictObject({ code: z.string().min(4).max(20) }),
    ]),
    progressResultSchema,
  ),
  /**
   * 刷身份证查进度: the applications of the person whose card was read in this session that this
   * terminal still holds (personal data is purged after its retention), newest first.
   */
  'progress.byCard': method(
    z.strictObject({}),
    z.strictObject({ cases: z.array(caseProgressSchema).max(maxCasesByCard) }),
    kinds('no-session', 'card-missing'),
  ),
} as const;

export const journeyEvents = {
  /** A card was read for the current session (starting one if the idle screen was showing). */
  'card.read': z.strictObject({ sessionId: z.uuid(), card: cardViewSchema }),
  'card.removed': z.strictObject({}),
  'card.problem': z.strictObject({ problem: cardProblemSchema }),
  'device.status': deviceStatusEventSchema,
  'scanner.scanned': z.strictObject({ text: z.string().max(1000) }),
  /** A key pressed on the tactile keypad (the audio-and-keypad mode's input). */
  'keypad.key': keypadKeyEventSchema,
} as const;

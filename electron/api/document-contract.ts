import { z } from 'zod';
import { documentTypes } from '../../foundation/document-types';
import { method } from './failures';

/**
 * Proofs and records printed on A4 at the terminal (查询打印): the printer's state (shown before the
 * resident reads their card), the request for the document of the person whose card was read, a
 * page of it as an image for the preview, and printing it. The PDF itself never crosses the bridge.
 */
export const a4PrinterStateSchema = z.enum([
  'ready',
  'busy',
  'media-empty',
  'media-jam',
  'door-open',
  'toner-empty',
  'offline',
  'not-configured',
  'error',
]);
export type A4PrinterStateName = z.infer<typeof a4PrinterStateSchema>;
/** Worth telling while the printer still prints (printer-state-reasons …-low). */
export const a4WarningSchema = z.enum(['toner-low', 'media-low']);
export type A4WarningName = z.infer<typeof a4WarningSchema>;

const kind = <K extends string>(name: K) => z.object({ kind: z.literal(name) });

export const documentFailureSchema = z.union([
  kind('no-session'),
  /** The card of the person the document is about was not read in this session. */
  kind('card-missing'),
  kind('no-printer'),
  /** The platform did not answer (network down, timeout, 5xx): try later. */
  kind('platform-unreachable'),
  /** The platform refused the request (4xx): staff should look. */
  kind('platform-refused'),
  /** The platform holds no record of this person for this document. */
  kind('no-record'),
  /** No document held for this number in this session (never requested, or the session ended). */
  kind('no-document'),
  /**
   * The document did not come out whole (paper out before or mid-document, a jam, the printer gone):
   * `state` is the printer's. The terminal holds the PDF for staff, who reprint it once the printer is
   * fixed (staff.documents.*): the resident need not wait at the screen.
   */
  z.object({
    kind: z.literal('print-failed'),
    state: a4PrinterStateSchema,
    pagesPrinted: z.number().int().nonnegative(),
  }),
  /** The preview could not be drawn (the page does not exist, or the renderer failed). */
  kind('no-page'),
]);
export type DocumentFailure = z.output<typeof documentFailureSchema>;

export const documentSummarySchema = z.strictObject({
  documentNumber: z.string(),
  issuedAt: z.string(),
  issuingOffice: z.string(),
  pageCount: z.number().int().positive(),
  sha256: z.string(),
});

/** A document that did not print, as staff see it: what and when, never whose. */
export const failedPrintSchema = z.strictObject({
  documentNumber: z.string(),
  type: z.enum(documentTypes),
  pages: z.number().int().positive(),
  failedAt: z.string(),
  /** The PDF is dropped then (it is held in memory only, and a restart drops it too). */
  expiresAt: z.string(),
  state: a4PrinterStateSchema,
});
export type FailedPrintView = z.infer<typeof failedPrintSchema>;

export const documentMethods = {
  'document.printerState': method(z.strictObject({}), z.strictObject({ state: a4PrinterStateSchema })),
  'document.request': method(
    z.strictObject({ type: z.enum(documentTypes), months: z.number().int().min(1).max(36) }),
    documentSummarySchema,
    documentFailureSchema,
  ),
  'document.page': method(
    z.strictObject({ documentNumber: z.string().max(40), page: z.number().int().min(1).max(200) }),
    z.strictObject({ pngBase64: z.base64() }),
    documentFailureSchema,
  ),
  'document.print': method(
    z.strictObject({ documentNumber: z.string().max(40) }),
    z.strictObject({ pages: z.number().int().positive() }),
    documentFailureSchema,
  ),
} as const;

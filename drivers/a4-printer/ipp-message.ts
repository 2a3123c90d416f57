import ipp, { type IppAttribute, type IppResponse, type IppValue } from 'ipp-encoder';
import { err, ok, type Result } from '../../foundation/result';

/**
 * The IPP/1.1 messages the A4 printer driver sends (RFC 8011) and a flat reading of the answers.
 * Encoding and decoding of the binary form is ipp-encoder's; this module only says which attributes
 * go in which group. A job never carries a person's name: its name is the document number.
 */
export const IppOperation = {
  printJob: 0x0002,
  cancelJob: 0x0008,
  getJobAttributes: 0x0009,
  getPrinterAttributes: 0x000b,
} as const;

const Group = { operation: 0x01, job: 0x02 } as const;
const Tag = {
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  text: 0x41,
  name: 0x42,
  keyword: 0x44,
  uri: 0x45,
  charset: 0x47,
  language: 0x48,
  mimeType: 0x49,
} as const;

/** Status codes below 0x0100 are successes (some with warnings); RFC 8011 §4.1.6. */
export function isIppSuccess(statusCode: number): boolean {
  return statusCode >= 0 && statusCode < 0x0100;
}

const attr = (tag: number, name: string, ...value: IppValue[]): IppAttribute => ({ tag, name, value });

function operationGroup(printerUri: string, extra: IppAttribute[]): { tag: number; attributes: IppAttribute[] } {
  return {
    tag: Group.operation,
    attributes: [
      attr(Tag.charset, 'attributes-charset', 'utf-8'),
      attr(Tag.language, 'attributes-natural-language', 'zh-cn'),
      attr(Tag.uri, 'printer-uri', printerUri),
      attr(Tag.name, 'requesting-user-name', 'kiosk'),
      ...extra,
    ],
  };
}

/** What the device manager asks for: the printer's state, never the whole (large) description. */
export const PRINTER_STATUS_ATTRIBUTES = [
  'printer-state',
  'printer-state-reasons',
  'printer-state-message',
  'printer-is-accepting-jobs',
  'printer-make-and-model',
] as const;

export const JOB_STATUS_ATTRIBUTES = [
  'job-state',
  'job-state-reasons',
  'job-impressions-completed',
  'job-media-sheets-completed',
] as const;

export function encodeGetPrinterAttributes(printerUri: string, requestId: number): Buffer {
  return ipp.request.encode({
    version: { major: 1, minor: 1 },
    operationId: IppOperation.getPrinterAttributes,
    requestId,
    groups: [operationGroup(printerUri, [attr(Tag.keyword, 'requested-attributes', ...PRINTER_STATUS_ATTRIBUTES)])],
  });
}

export interface PrintJobOptions {
  /** Shown in the printer's queue: a document number, never a person's name. */
  readonly jobName: string;
  readonly copies?: number;
}

/** The Print-Job request header; the PDF follows it in the same HTTP body. */
export function encodePrintJob(printerUri: string, requestId: number, options: PrintJobOptions): Buffer {
  return ipp.request.encode({
    version: { major: 1, minor: 1 },
    operationId: IppOperation.printJob,
    requestId,
    groups: [
      operationGroup(printerUri, [
        attr(Tag.name, 'job-name', options.jobName),
        attr(Tag.mimeType, 'document-format', 'application/pdf'),
      ]),
      {
        tag: Group.job,
        attributes: [
          attr(Tag.integer, 'copies', options.copies ?? 1),
          attr(Tag.keyword, 'media', 'iso_a4_210x297mm'),
          attr(Tag.keyword, 'sides', 'one-sided'),
        ],
      },
    ],
  });
}

export function encodeJobRequest(
  operation: typeof IppOperation.getJobAttributes | typeof IppOperation.cancelJob,
  printerUri: string,
  requestId: number,
  jobId: number,
): Buffer {
  const extra = [attr(Tag.integer, 'job-id', jobId)];
  if (operation === IppOperation.getJobAttributes) {
    extra.push(attr(Tag.keyword, 'requested-attributes', ...JOB_STATUS_ATTRIBUTES));
  }
  return ipp.request.encode({
    version: { major: 1, minor: 1 },
    operationId: operation,
    requestId,
    groups: [operationGroup(printerUri, extra)],
  });
}

/** An answer, flattened: every attribute of every group by name (the names we ask for are unique). */
export interface IppAnswer {
  readonly statusCode: number;
  readonly requestId: number;
  readonly attributes: ReadonlyMap<string, readonly IppValue[]>;
}

export type IppDecodeError = { readonly kind: 'malformed-answer'; readonly message: string };

export function decodeIppAnswer(body: Buffer): Result<IppAnswer, IppDecodeError> {
  if (body.length < 9) return err({ kind: 'malformed-answer', message: `${body.length} bytes` });
  let decoded: IppResponse;
  try {
    decoded = ipp.response.decode(body);
  } catch (e) {
    // ipp-encoder reads past the end of a truncated answer with a RangeError.
    return err({ kind: 'malformed-answer', message: e instanceof Error ? e.message : String(e) });
  }
  const attributes = new Map<string, readonly IppValue[]>();
  for (const group of decoded.groups) {
    for (const a of group.attributes) if (!attributes.has(a.name)) attributes.set(a.name, a.value);
  }
  return ok({ statusCode: decoded.statusCode, requestId: decoded.requestId, attributes });
}

export function firstNumber(answer: IppAnswer, name: string): number | undefined {
  const v = answer.attributes.get(name)?.[0];
  return typeof v === 'number' ? v : undefined;
}

export function keywords(answer: IppAnswer, name: string): string[] {
  return (answer.attributes.get(name) ?? []).flatMap((v) =>
    typeof v === 'string' ? [v] : typeof v === 'object' && 'value' in v ? [v.value] : [],
  );
}

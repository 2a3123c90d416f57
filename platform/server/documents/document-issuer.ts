/**
 * Issues a proof or record (查询打印): looks up the platform's records, renders the A4 PDF, signs
 * the document record with the platform's Ed25519 document key and keeps that record (never the
 * PDF) so anyone holding the paper can check it. The signed record is a fixed text
 * (documentRecordText) over number, type, SHA-256 of the PDF, masked name and date.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomInt,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type {
  CardFields,
  DocumentRequest,
  DocumentResponse,
  DocumentType,
  DocumentVerifyResponse,
} from '../../contract/api-schemas';
import { destroyFile } from '../../../foundation/destroy-file';
import type { FieldCipher } from '../../../foundation/field-cipher';
import { maskName } from '../../../foundation/masking';
import { describeUnsealError, sealSecret, unsealSecret } from '../../../foundation/sealed-secret';
import { assertNever } from '../../../foundation/result';
import { chinaDay, type IssuedDocumentRow, type PlatformStore } from '../platform-db';
import { recordsOf, type PersonRecords } from './demo-records';
import { renderProofPdf, type ProofDocument } from './document-pdf';

export interface DocumentKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Raw public key, base64url: what the verification page publishes. */
  readonly publicKeyText: string;
}

/**
 * The platform's document-signing key, created on first start beside its database, sealed under the
 * data key (foundation/sealed-secret.ts; owner-only file), so a copy of the folder without the data
 * key cannot sign proofs. A plain `document-signing.pem` from before sealing is adopted once
 * (sealed, then destroyed). A sealed key that does not open stops the start: never a new key.
 */
export function loadOrCreateDocumentKeys(dataDir: string, sealer: Pick<FieldCipher, 'deriveKey'>): DocumentKeys {
  const sealedFile = join(dataDir, 'document-signing.sealed');
  const plainFile = join(dataDir, 'document-signing.pem');
  const sealKey = sealer.deriveKey('document key seal v1');
  const plain = existsSync(plainFile) ? createPrivateKey(readFileSync(plainFile)) : null;
  if (!existsSync(sealedFile)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const made = plain ?? generateKeyPairSync('ed25519').privateKey;
    const sealed = sealSecret(sealKey, made.export({ format: 'der', type: 'pkcs8' }), 'document-signing.sealed');
    writeFileSync(sealedFile, sealed, { mode: 0o600, flag: 'wx', flush: true });
  }
  const opened = unsealSecret(sealKey, readFileSync(sealedFile), 'document-signing.sealed');
  if (!opened.ok) throw new Error(`${sealedFile}: ${describeUnsealError(opened.error)}`);
  const privateKey = createPrivateKey({ key: opened.value, format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  // Also after a crash between sealing and destroying; a plain key that is not the sealed one stays.
  if (plain !== null && createPublicKey(plain).equals(publicKey)) destroyFile(plainFile);
  const jwk = publicKey.export({ format: 'jwk' });
  return { privateKey, publicKey, publicKeyText: String(jwk.x) };
}

export function documentRecordText(row: {
  document_number: string;
  document_type: string;
  sha256: string;
  masked_name: string;
  issued_on: string;
}): string {
  return `VKDOC1|${row.document_number}|${row.document_type}|${row.sha256}|${row.masked_name}|${row.issued_on}`;
}

export function verifyDocumentRecord(row: IssuedDocumentRow, publicKey: KeyObject): boolean {
  return verify(null, Buffer.from(documentRecordText(row)), publicKey, Buffer.from(row.signature, 'base64url'));
}

export const documentTitles: Record<DocumentType, string> = {
  'social-insurance-contributions': '社会保险个人缴费记录',
  'pension-payments': '养老金发放记录',
  'medical-insurance-enrolment': '基本医疗保险参保证明',
};

export interface IssuerOptions {
  readonly store: PlatformStore;
  readonly keys: DocumentKeys;
  readonly issuingOffice: string;
  /** Public base URL of the verification page (printed and in the QR). */
  readonly verifyBaseUrl: string;
  readonly sealPng?: Buffer;
}

const yuan = (n: number) => n.toFixed(2);
/** The last `months` whole months before `now` (China time), oldest first, not before `since`. */
function monthsBack(now: Date, months: number, since: string): string[] {
  const day = chinaDay(now);
  let year = Number(day.slice(0, 4));
  let month = Number(day.slice(4, 6));
  const out: string[] = [];
  for (let i = 0; i < months; i++) {
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
    const ym = `${year}-${String(month).padStart(2, '0')}`;
    if (ym < since) break;
    out.unshift(ym);
  }
  return out;
}

type Content = Pick<ProofDocument, 'statement' | 'table' | 'notes'>;

/** The body of each document type from the person's records; null when there is nothing to state. */
function contentOf(type: DocumentType, records: PersonRecords, months: number, now: Date): Content | null {
  switch (type) {
    case 'social-insurance-contributions': {
      const account = records.contributions;
      if (account === undefined) return null;
      const rows = monthsBack(now, months, account.since).map((ym) => [
        ym,
        account.scheme,
        yuan(account.base),
        yuan(account.base * account.personalRate),
        yuan(account.base * account.employerRate),
        '已到账',
      ]);
      if (rows.length === 0) return null;
      return {
        statement: [
          `经查询，该参保人自 ${account.since} 起参加${account.scheme}，参保单位：${account.employer}。下表为最近 ${rows.length} 个月的缴费记录。`,
        ],
        table: {
          columns: [
            { title: '缴费年月', weight: 1.2 },
            { title: '险种', weight: 2.4 },
            { title: '缴费基数（元）', weight: 1.4, align: 'right' },
            { title: '个人缴费（元）', weight: 1.4, align: 'right' },
            { title: '单位缴费（元）', weight: 1.4, align: 'right' },
            { title: '状态', weight: 0.9, align: 'center' },
          ],
          rows,
        },
        notes: ['本记录依据社会保险经办机构系统数据生成，仅证明所列期间的缴费情况。'],
      };
    }
    case 'pension-payments': {
      const pension = records.pension;
      if (pension === undefined) return null;
      const rows = monthsBack(now, months, pension.since).map((ym) => [
        ym,
        yuan(pension.monthly),
        pension.bank,
        '已发放',
      ]);
      if (rows.length === 0) return null;
      return {
        statement: [`经查询，该人员自 ${pension.since} 起按月领取养老金。下表为最近 ${rows.length} 个月的发放记录。`],
        table: {
          columns: [
            { title: '发放年月', weight: 1 },
            { title: '发放金额（元）', weight: 1, align: 'right' },
            { title: '发放机构', weight: 1.6 },
            { title: '状态', weight: 0.8, align: 'center' },
          ],
          rows,
        },
        notes: ['养老金由社会保险经办机构按月发放至本人账户。'],
      };
    }
    case 'medical-insurance-enrolment': {
      const medical = records.medical;
      if (medical === undefined) return null;
      return {
        statement: [
          `兹证明该人员自 ${medical.since} 起在${medical.area}参加${medical.scheme}，截至出具之日参保状态正常。`,
          '特此证明。',
        ],
        notes: ['本证明用于办理就医、入学、贷款等事项，自出具之日起三个月内有效。'],
      };
    }
    default:
      return assertNever(type);
  }
}

function newDocumentNumber(now: Date): string {
  return `ZM${chinaDay(now)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}
function newVerificationCode(): string {
  return String(randomInt(0, 10_000_000_000)).padStart(10, '0');
}

function subjectLines(applicant: CardFields): string[] {
  return [`姓名：${applicant.name}`, `公民身份号码：${applicant.idNumber}`];
}

export async function issueDocument(
  options: IssuerOptions,
  terminalId: string,
  request: DocumentRequest,
  now: Date,
): Promise<DocumentResponse> {
  const records = recordsOf(request.applicant.idNumber);
  const content = records === undefined ? null : contentOf(request.type, records, request.months, now);
  const title = documentTitles[request.type];
  if (content === null)
    return { outcome: 'no-record', message: `未查询到您的${title}。如有疑问，请咨询工作人员或拨打 12333。` };

  const documentNumber = newDocumentNumber(now);
  const code = newVerificationCode();
  const day = chinaDay(now);
  const pageUrl = `${options.verifyBaseUrl}/documents/verify`;
  const pdf = await renderProofPdf(
    {
      title,
      documentNumber,
      issuedOn: `${Number(day.slice(0, 4))}年${Number(day.slice(4, 6))}月${Number(day.slice(6, 8))}日`,
      issuingOffice: options.issuingOffice,
      subjectLines: subjectLines(request.applicant),
      ...content,
      noRecordText: '未查询到记录',
      verification: { qrText: `${pageUrl}?n=${documentNumber}&c=${code}`, code, pageUrl },
      ...(options.sealPng === undefined ? {} : { sealPng: options.sealPng }),
    },
    { creationDate: now },
  );
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const unsigned = {
    document_number: documentNumber,
    verification_code: code,
    document_type: request.type,
    title,
    sha256,
    masked_name: maskName(request.applicant.name),
    issued_on: `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`,
    terminal_id: terminalId,
    issued_at: now.toISOString(),
  };
  const signature = sign(null, Buffer.from(documentRecordText(unsigned)), options.keys.privateKey).toString(
    'base64url',
  );
  options.store.insertIssuedDocument({ ...unsigned, signature });
  return {
    outcome: 'issued',
    documentNumber,
    issuedAt: now.toISOString(),
    issuingOffice: options.issuingOffice,
    pageCount: countPages(pdf),
    sha256,
    pdf: pdf.toString('base64'),
  };
}

/** pdfkit writes one `/Type /Page` object per page (and `/Type /Pages` once). */
function countPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

/** The public check: number and printed code → the signed record, or why not (same words for unknown and wrong code). */
export function checkDocument(
  store: PlatformStore,
  keys: DocumentKeys,
  documentNumber: string,
  code: string,
): DocumentVerifyResponse {
  const row = store.issuedDocument(documentNumber);
  const given = Buffer.from(code.replace(/[\s-]/g, ''));
  const expected = Buffer.from(row?.verification_code ?? '0000000000');
  const codeMatches = given.length === expected.length && timingSafeEqual(given, expected);
  if (row === undefined || !codeMatches) return { valid: false, reason: '未找到该证明：请核对证明编号和验证码' };
  if (!verifyDocumentRecord(row, keys.publicKey)) return { valid: false, reason: '该证明的签名不符：记录可能被篡改' };
  return {
    valid: true,
    documentNumber: row.document_number,
    title: row.title,
    sha256: row.sha256,
    maskedName: row.masked_name,
    issuedOn: row.issued_on,
    signature: row.signature,
    publicKey: keys.publicKeyText,
  };
}

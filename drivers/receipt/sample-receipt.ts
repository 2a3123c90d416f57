import { receipt, type ReceiptDocument } from './receipt-model';

/**
 * A typical 申报回执 with made-up content (docs/ux.md: terminal, service, case number, time, masked
 * applicant, materials, hall, hours, QR, verification code, "not a legal acceptance" notice), and
 * the same in ASCII. For the bench, the reference picture and previews; no real person.
 */
export interface ReceiptText {
  readonly title: string;
  readonly notice: string;
  readonly fields: readonly (readonly [string, string])[];
  readonly materials: readonly string[];
  readonly qr: string;
  readonly code: string;
}

export const SAMPLE_RECEIPT_CHINESE: ReceiptText = {
  title: '申报回执',
  notice: '本回执不是受理通知书，正式受理以服务大厅审核为准。',
  fields: [
    ['终端', '柳溪村自助服务终端 QS-LX-0001'],
    ['事项', '城乡居民养老保险待遇资格认证'],
    ['案件号', 'QSLX01-20261124-0042'],
    ['时间', '2026-11-24 16:20'],
    ['申请人', '张*三'],
    ['证件号', '110105********1234'],
    ['大厅', '清水镇便民服务中心 清水镇人民路8号'],
    ['办公时间', '周一至周五 9:00-12:00 14:00-17:30'],
  ],
  materials: ['户口簿原件', '银行卡复印件'],
  qr: 'KR1.QSLX01.QSLX01-20261124-0042.MEUCIQDx3c0c2c9a1b7e6f5d4c3b2a1908f7e6d5c4b3a291807f6e5d4c3b2a19',
  code: '8372 6150',
};

export const SAMPLE_RECEIPT_ASCII: ReceiptText = {
  title: 'APPLICATION RECEIPT',
  notice: 'This receipt is not a legal acceptance notice; formal acceptance happens at the hall.',
  fields: [
    ['Terminal', 'Liuxi village terminal QS-LX-0001'],
    ['Service', 'Rural pension eligibility check'],
    ['Case', 'QSLX01-20261124-0042'],
    ['Time', '2026-11-24 16:20'],
    ['Applicant', 'Zhang *san'],
    ['ID', '110105********1234'],
    ['Hall', 'Qingshui service centre, 8 Renmin Rd'],
    ['Hours', 'Mon-Fri 9:00-12:00 14:00-17:30'],
  ],
  materials: ['Household register (original)', 'Bank card copy'],
  qr: SAMPLE_RECEIPT_CHINESE.qr,
  code: SAMPLE_RECEIPT_CHINESE.code,
};

export function typicalReceipt(text: ReceiptText = SAMPLE_RECEIPT_CHINESE): ReceiptDocument {
  const b = receipt().text(text.title, { align: 'center', bold: true, size: 'double' }).rule('double');
  for (const [label, value] of text.fields) b.text(`${label}: ${value}`);
  b.rule();
  for (const m of text.materials) b.text(`- ${m}`);
  return b
    .qr(text.qr, { size: 6 })
    .text(text.code, { align: 'center', bold: true, size: 'double-width' })
    .text(text.notice)
    .feed(1)
    .cut()
    .build();
}

import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { Hall, Service } from '../../../kiosk-config/catalogue-schema';
import type { ReceiptDocument } from '../../../drivers/receipt/receipt-model';
import { formatVerificationCode } from '../../../platform/contract/receipt-payload';

/**
 * The 申报回执 as a document (docs/ux.md "The receipt"): the same model is printed (ESC/POS) and shown
 * on screen (PNG). It names the applicant only masked, says plainly that it is not an acceptance
 * notice, and carries the signed QR payload and its digits for manual entry.
 */
export interface ReceiptFacts {
  readonly config: KioskConfig;
  readonly service: Service;
  readonly hall: Hall | undefined;
  readonly localNumber: string;
  readonly caseNumber: string | null;
  /** Local time text, e.g. 2026-11-24 16:05 */
  readonly issuedAtText: string;
  readonly maskedName: string;
  readonly maskedIdNumber: string;
  readonly payload: string;
  readonly verificationCode: string;
  /** Printed again by staff: marked 补打 so two papers are never mistaken for two applications. */
  readonly reprint: boolean;
}

export function buildReceiptDocument(facts: ReceiptFacts): ReceiptDocument {
  const zh = (text: { 'zh-CN': string }) => text['zh-CN'];
  const materials = facts.service.materialsToBring.map((m) => `· ${zh(m)}`);
  return {
    blocks: [
      {
        kind: 'text',
        text: facts.reprint ? '申报回执（补打）' : '申报回执',
        align: 'center',
        bold: true,
        size: 'double',
      },
      { kind: 'text', text: facts.config.servicePoint.name, align: 'center' },
      { kind: 'text', text: `${facts.config.terminal.name}（${facts.config.terminal.id}）`, align: 'center' },
      { kind: 'rule', style: 'double' },
      { kind: 'text', text: `事项：${zh(facts.service.name)}`, bold: true },
      facts.caseNumber === null
        ? { kind: 'text', text: `本机编号：${facts.localNumber}`, bold: true, size: 'double-height' }
        : { kind: 'text', text: `办件编号：${facts.caseNumber}`, bold: true, size: 'double-height' },
      ...(facts.caseNumber === null
        ? [{ kind: 'text' as const, text: '网络恢复后自动发送，本回执照样有效。' }]
        : [{ kind: 'text' as const, text: `本机编号：${facts.localNumber}` }]),
      { kind: 'text', text: `时间：${facts.issuedAtText}` },
      { kind: 'text', text: `申请人：${facts.maskedName}` },
      { kind: 'text', text: `身份证号：${facts.maskedIdNumber}` },
      { kind: 'rule' },
      { kind: 'text', text: '请带以下材料到大厅：', bold: true },
      ...(materials.length === 0
        ? [{ kind: 'text' as const, text: '· 无需另带材料' }]
        : materials.map((text) => ({ kind: 'text' as const, text }))),
      ...(facts.hall === undefined
        ? []
        : [
            { kind: 'text' as const, text: `受理大厅：${zh(facts.hall.name)}` },
            { kind: 'text' as const, text: `地址：${zh(facts.hall.address)}` },
            { kind: 'text' as const, text: `办公时间：${zh(facts.hall.hours)}` },
            { kind: 'text' as const, text: `电话：${facts.hall.phone}` },
          ]),
      { kind: 'rule' },
      { kind: 'qr', payload: facts.payload, size: 4, errorLevel: 'M', align: 'center' },
      { kind: 'text', text: `查询码：${formatVerificationCode(facts.verificationCode)}`, align: 'center', bold: true },
      { kind: 'text', text: '扫码或输入查询码可查办理进度', align: 'center' },
      { kind: 'rule' },
      { kind: 'text', text: '本回执不是受理通知书，正式受理以大厅审核为准。', bold: true },
      { kind: 'feed', lines: 2 },
      { kind: 'cut' },
    ],
  };
}

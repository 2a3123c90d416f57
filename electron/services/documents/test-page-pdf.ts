import PDFDocument from 'pdfkit';
import { fontBytes, NOTO_CJK_FONTS } from '../../../foundation/cjk-fonts';
import { localDateTime } from '../../../foundation/local-time';

/**
 * The technician's A4 test page: one page that says which terminal printed it, when and on which
 * printer, with a frame near the paper's edges (is the page placed right?) and grey steps (is the
 * toner even?). It carries nothing about anyone.
 */
export interface TestPageFacts {
  readonly terminalId: string;
  readonly terminalName: string;
  /** The printer's URI, or a word for the simulated printer. */
  readonly printer: string;
  readonly at: Date;
}

const A4 = { width: 595.28, height: 841.89 };
const MM = 72 / 25.4;

export async function renderTestPagePdf(facts: TestPageFacts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 30 * MM, left: 25 * MM, right: 25 * MM, bottom: 25 * MM },
    // No default Helvetica (pdfkit loads it from its own folder, which the packaged bundle lacks).
    font: '',
    info: { Title: 'A4 test page', Producer: 'village-kiosk', Creator: 'village-kiosk', CreationDate: facts.at },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fontBytes(NOTO_CJK_FONTS.regular.path), NOTO_CJK_FONTS.regular.postscriptName);
  doc.registerFont('bold', fontBytes(NOTO_CJK_FONTS.bold.path), NOTO_CJK_FONTS.bold.postscriptName);

  // 10 mm in from every edge: a frame cut off on one side shows the paper or the margins are off.
  doc
    .lineWidth(1)
    .rect(10 * MM, 10 * MM, A4.width - 20 * MM, A4.height - 20 * MM)
    .stroke();
  doc.font('bold').fontSize(24).text('A4 打印机测试页', { align: 'center' });
  doc.moveDown(1);
  doc.font('regular').fontSize(13);
  for (const line of [
    `终端：${facts.terminalName}（${facts.terminalId}）`,
    `打印时间：${localDateTime(facts.at)}`,
    `打印机：${facts.printer}`,
  ])
    doc.text(line, { lineGap: 4 });
  doc.moveDown(1);
  doc.text('这一页字迹清楚、四边的框完整、下面的灰色由浅到深都看得出，打印机就可以为居民打印证明。', {
    lineGap: 4,
  });
  doc.moveDown(1.5);
  const top = doc.y;
  const left = 25 * MM;
  const step = (A4.width - 50 * MM) / 5;
  [0.1, 0.3, 0.5, 0.7, 0.9].forEach((grey, i) => {
    const level = Math.round(255 * (1 - grey));
    doc
      .rect(left + i * step, top, step - 4, 20 * MM)
      .fillColor([level, level, level])
      .fill();
  });
  doc.fillColor('black');
  doc.end();
  return done;
}

import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { fontBytes, NOTO_CJK_FONTS, type CjkFonts } from '../../../foundation/cjk-fonts';

/**
 * A proof or record (查询打印) as an A4 PDF: title, who it is about, a statement, a table that
 * splits across pages with its header repeated, "第 n 页 共 m 页" on every page, and on every page
 * the verification QR and code, so a single page handed over still verifies. pdfkit embeds only
 * the glyphs used from Noto Sans CJK (a CID-keyed CFF subset), so a page is tens of KiB, not 19 MiB.
 *
 * The PDF's metadata (Title, Subject) names the document type only, never the person: print queues
 * and viewers show it.
 */
export interface ProofTableColumn {
  readonly title: string;
  /** Share of the table width. */
  readonly weight: number;
  readonly align?: 'left' | 'right' | 'center';
}

export interface ProofDocument {
  /** e.g. 城乡居民基本养老保险缴费证明 */
  readonly title: string;
  readonly documentNumber: string;
  /** As printed, already in local time: 2026年12月2日 */
  readonly issuedOn: string;
  readonly issuingOffice: string;
  /** Lines "姓名：张三", "公民身份号码：…" as they should appear. */
  readonly subjectLines: readonly string[];
  readonly statement: readonly string[];
  readonly table?: { readonly columns: readonly ProofTableColumn[]; readonly rows: readonly (readonly string[])[] };
  /** Printed when there is a table with no rows (a proper "no record" page, never an empty grid). */
  readonly noRecordText?: string;
  readonly notes?: readonly string[];
  readonly verification: { readonly qrText: string; readonly code: string; readonly pageUrl: string };
  /** PNG of the issuing office's seal, drawn beside the issuing office on the last page. */
  readonly sealPng?: Buffer;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { top: 64, side: 56, bottom: 120 };
const FOOTER_TOP = A4.height - MARGIN.bottom + 16;
const QR_SIZE = 80;

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 2;
  const cell = size / (count + 2 * quiet);
  doc.save().fillColor('black');
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
    }
  }
  doc.fill().restore();
}

export async function renderProofPdf(
  proof: ProofDocument,
  options: { fonts?: CjkFonts; creationDate?: Date } = {},
): Promise<Buffer> {
  const fonts = options.fonts ?? NOTO_CJK_FONTS;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN.top, left: MARGIN.side, right: MARGIN.side, bottom: MARGIN.bottom },
    bufferPages: true,
    // No default Helvetica: pdfkit loads its standard fonts from its own folder, which the installed
    // package's bundle does not carry; every text here is set in the registered CJK fonts anyway.
    font: '',
    info: {
      Title: proof.title,
      Subject: proof.documentNumber,
      Producer: 'village-kiosk',
      Creator: 'village-kiosk',
      CreationDate: options.creationDate ?? new Date(0),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('regular', fontBytes(fonts.regular.path), fonts.regular.postscriptName);
  doc.registerFont('bold', fontBytes(fonts.bold.path), fonts.bold.postscriptName);
  const contentWidth = A4.width - 2 * MARGIN.side;

  doc.font('bold').fontSize(20).text(proof.title, { align: 'center' });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(10).text(`证明编号：${proof.documentNumber}`, { align: 'right' });
  doc.moveDown(0.8);
  doc.fontSize(12);
  for (const line of proof.subjectLines) doc.text(line);
  doc.moveDown(0.5);
  for (const paragraph of proof.statement) doc.text(paragraph, { indent: 24, lineGap: 3 });
  doc.moveDown(0.8);

  const table = proof.table;
  if (table !== undefined && table.rows.length === 0) {
    doc
      .font('bold')
      .fontSize(14)
      .text(proof.noRecordText ?? '未查询到记录', { align: 'center' });
    doc.moveDown(0.8);
  } else if (table !== undefined) {
    const total = table.columns.reduce((sum, c) => sum + c.weight, 0);
    const widths = table.columns.map((c) => (contentWidth * c.weight) / total);
    const padding = 4;
    const bottomLimit = A4.height - MARGIN.bottom;
    const rowHeight = (cells: readonly string[], font: string) => {
      doc.font(font).fontSize(10.5);
      return (
        Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: (widths[i] ?? 0) - 2 * padding }))) +
        2 * padding
      );
    };
    const drawRow = (cells: readonly string[], font: string, shaded: boolean) => {
      const height = rowHeight(cells, font);
      const top = doc.y;
      let x = MARGIN.side;
      if (shaded) doc.save().rect(x, top, contentWidth, height).fill('#eeeeee').restore();
      doc.font(font).fontSize(10.5).fillColor('black');
      cells.forEach((cell, i) => {
        const width = widths[i] ?? 0;
        doc.rect(x, top, width, height).lineWidth(0.5).stroke();
        doc.text(cell, x + padding, top + padding, {
          width: width - 2 * padding,
          align: table.columns[i]?.align ?? 'left',
          lineBreak: true,
        });
        x += width;
      });
      doc.x = MARGIN.side;
      doc.y = top + height;
    };
    const headers = table.columns.map((c) => c.title);
    drawRow(headers, 'bold', true);
    for (const row of table.rows) {
      if (doc.y + rowHeight(row, 'regular') > bottomLimit) {
        doc.addPage();
        drawRow(headers, 'bold', true);
      }
      drawRow(row, 'regular', false);
    }
    doc.x = MARGIN.side;
    doc.moveDown(0.8);
  }

  doc.font('regular').fontSize(10.5);
  for (const note of proof.notes ?? []) doc.text(note, { lineGap: 2 });
  doc.moveDown(1);
  // The issuer's block: kept together on one page.
  if (doc.y + 90 > A4.height - MARGIN.bottom) doc.addPage();
  const issuerTop = doc.y;
  doc.font('regular').fontSize(12);
  doc.text(proof.issuingOffice, MARGIN.side, issuerTop, { width: contentWidth, align: 'right' });
  doc.text(proof.issuedOn, { width: contentWidth, align: 'right' });
  if (proof.sealPng !== undefined) {
    doc.image(proof.sealPng, A4.width - MARGIN.side - 130, issuerTop - 40, { fit: [110, 110] });
  }

  // Footers, now that the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing in the bottom margin must not start a new page.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    drawQr(doc, proof.verification.qrText, MARGIN.side, FOOTER_TOP, QR_SIZE);
    doc.font('regular').fontSize(9).fillColor('black');
    const textX = MARGIN.side + QR_SIZE + 12;
    const textWidth = contentWidth - QR_SIZE - 12;
    doc.text(`验证码：${proof.verification.code}`, textX, FOOTER_TOP + 8, { width: textWidth });
    doc.text(`扫描二维码或在 ${proof.verification.pageUrl} 输入证明编号和验证码核验真伪。`, { width: textWidth });
    doc.text(`证明编号：${proof.documentNumber}`, { width: textWidth });
    doc.fontSize(10).text(`第 ${i + 1} 页 共 ${range.count} 页`, MARGIN.side, FOOTER_TOP + QR_SIZE + 4, {
      width: contentWidth,
      align: 'center',
    });
    doc.page.margins.bottom = savedBottom;
  }
  doc.end();
  return done;
}

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A4PrinterDriver } from '../../drivers/a4-printer/a4-printer-driver';
import { startIppPrinterSimulator, type IppPrinterSimulator } from '../../drivers/a4-printer/ipp-printer-simulator';
import { renderProofPdf, type ProofDocument } from '../../platform/server/documents/document-pdf';

// A real PDF through a real IPP printer (CUPS's ippeveprinter): what arrives is read back with
// poppler (pdfinfo, pdftotext, pdftoppm) and zbar (the QR), and faults are the printer's own
// printer-state-reasons, as a real printer would report them.
const run = promisify(execFile);

function contributionRecord(months: number): ProofDocument {
  const rows = Array.from({ length: months }, (_, i) => {
    const year = 2024 + Math.floor(i / 12);
    const month = String((i % 12) + 1).padStart(2, '0');
    return [`${year}年${month}月`, '城乡居民基本养老保险', '200.00', '已缴费', '青石县社保中心'];
  });
  return {
    title: '城乡居民基本养老保险缴费证明',
    documentNumber: 'ZM20261202000017',
    issuedOn: '2026年12月2日',
    issuingOffice: '青石县社会保险事业管理局',
    subjectLines: ['姓名：张秀兰', '公民身份号码：4307**********2341'],
    statement: ['经查询，该参保人在本地参加城乡居民基本养老保险，缴费记录如下。'],
    table: {
      columns: [
        { title: '缴费月份', weight: 2 },
        { title: '险种', weight: 3 },
        { title: '金额（元）', weight: 2, align: 'right' },
        { title: '状态', weight: 1.5 },
        { title: '经办机构', weight: 3 },
      ],
      rows,
    },
    notes: ['本证明仅证明查询时的缴费记录。'],
    verification: {
      qrText: 'VK1.DOC.ZM20261202000017.ABCDEFGH',
      code: '3829 1047 55',
      pageUrl: 'https://platform.example/verify',
    },
  };
}

describe('an A4 proof printed on a real IPP printer', () => {
  let printer: IppPrinterSimulator;
  let work: string;
  beforeAll(async () => {
    printer = await startIppPrinterSimulator();
    work = await mkdtemp(path.join(tmpdir(), 'kiosk-a4-test-'));
  });
  afterAll(async () => {
    await printer.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reports the printer ready, prints a 36-month record to completion, and the paper reads back', async () => {
    const driver = new A4PrinterDriver({ uri: printer.uri });
    expect(await driver.status()).toEqual({ state: 'ready', warnings: [] });

    const pdf = await renderProofPdf(contributionRecord(36));
    const submitted = await driver.print(pdf, 'ZM20261202000017');
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
    const seen: string[] = [];
    const final = await driver.follow(submitted.value.jobId, { intervalMs: 50, onChange: (j) => seen.push(j.state) });
    expect(final).toMatchObject({ ok: true, value: { state: 'completed' } });
    expect(seen.at(-1)).toBe('completed');

    const [arrived] = await printer.received();
    expect(arrived?.equals(pdf)).toBe(true);
    const file = path.join(work, 'arrived.pdf');
    await writeFile(file, arrived ?? Buffer.alloc(0));

    const info = (await run('pdfinfo', [file])).stdout;
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(info).not.toContain('张秀兰'); // metadata never names the person

    const fonts = (await run('pdffonts', [file])).stdout;
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    expect(pdf.length).toBeLessThan(400_000); // a subset, not the 19 MiB font

    // pdftotext drops the spaces between CJK characters; compare without them.
    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout.replace(/[ \t]+/g, '');
    expect(text).toContain('城乡居民基本养老保险缴费证明');
    expect(text).toContain('张秀兰');
    expect(text).toContain(`第1页共${pages}页`);
    expect(text).toContain(`第${pages}页共${pages}页`);
    // The table's header is repeated on every page it continues on.
    const pageTexts = text.split('\f').filter((p) => p.trim() !== '');
    expect(pageTexts).toHaveLength(pages);
    for (const page of pageTexts) expect(page).toContain('缴费月份');
    expect(text).toContain('2026年12月');

    // The verification QR decodes from the printed page.
    await run('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-png', file, path.join(work, 'page')]);
    const qr = (await run('zbarimg', ['--quiet', '--raw', path.join(work, 'page-1.png')])).stdout.trim();
    expect(qr).toBe('VK1.DOC.ZM20261202000017.ABCDEFGH');
  });

  it('paper out: the job waits with the printer saying media empty, and completes when paper is back', async () => {
    const driver = new A4PrinterDriver({ uri: printer.uri });
    const before = (await printer.received()).length;
    const pdf = await renderProofPdf(contributionRecord(3));
    await printer.setPaper('out');
    const submitted = await driver.print(pdf, 'ZM20261202000018');
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
    const finished = driver.follow(submitted.value.jobId, { intervalMs: 50 });
    await expect.poll(() => driver.status()).toEqual({ state: 'media-empty' });
    expect((await driver.job(submitted.value.jobId)).ok && (await driver.job(submitted.value.jobId))).toMatchObject({
      value: { state: 'processing' },
    });
    await printer.setPaper('in');
    expect(await finished).toMatchObject({ ok: true, value: { state: 'completed' } });
    expect(await driver.status()).toEqual({ state: 'ready', warnings: [] });
    expect(await printer.received()).toHaveLength(before + 1);
  });

  it('a jam is its own state and loses the job; the reprint completes', async () => {
    const driver = new A4PrinterDriver({ uri: printer.uri });
    const before = (await printer.received()).length;
    const pdf = await renderProofPdf(contributionRecord(1));
    await printer.setPaper('jam');
    const submitted = await driver.print(pdf, 'ZM20261202000019');
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
    const finished = driver.follow(submitted.value.jobId, { intervalMs: 50 });
    await expect.poll(() => driver.status()).toEqual({ state: 'media-jam' });
    await printer.setPaper('in');
    expect(await finished).toMatchObject({ ok: true, value: { state: 'aborted' } });
    expect(await printer.received()).toHaveLength(before);

    const again = await driver.print(pdf, 'ZM20261202000019');
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect(await driver.follow(again.value.jobId, { intervalMs: 50 })).toMatchObject({
      ok: true,
      value: { state: 'completed' },
    });
    expect(await printer.received()).toHaveLength(before + 1);
  });

  it('a stopped printer is offline and refuses nothing silently; it is back when it returns', async () => {
    const driver = new A4PrinterDriver({ uri: printer.uri, timeoutMs: 2000 });
    await printer.stop();
    expect(await driver.status()).toMatchObject({ state: 'offline' });
    const refused = await driver.print(Buffer.from('%PDF-1.4'), 'x');
    expect(refused).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    await printer.start();
    expect(await driver.status()).toEqual({ state: 'ready', warnings: [] });
  });
});

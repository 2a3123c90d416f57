import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A4PrinterDriver } from '../../drivers/a4-printer/a4-printer-driver';
import { startIppPrinterSimulator, type IppPrinterSimulator } from '../../drivers/a4-printer/ipp-printer-simulator';
import type { IdCard } from '../../drivers/id-card/id-card-text';
import { createDocumentService, type DocumentService } from '../../electron/services/documents/document-service';
import { requestDocument } from '../../electron/services/platform-client/http-platform-client';
import { createSessionService } from '../../electron/services/session/session-service';
import { recordingLog, type RecordedLine } from '../../foundation/log';
import { documentVerifyResponseSchema } from '../../platform/contract/api-schemas';
import { startPlatformFixture, type PlatformFixture } from '../support/platform-fixture';
import { decodedSampleCard } from '../support/sample-id-cards';

// The whole path of a proof (issue 15): the terminal asks the platform (signed), the platform
// answers from its records with a signed PDF, the kiosk's document service prints it on a real IPP
// printer (ippeveprinter), and the QR on the paper that arrived verifies at the platform.
const run = promisify(execFile);

describe('a proof from the platform to the A4 printer', () => {
  let fixture: PlatformFixture;
  let printer: IppPrinterSimulator;
  let work: string;
  let card: IdCard | null = null;
  const kioskLog: RecordedLine[] = [];
  const sessions = createSessionService(recordingLog(kioskLog));
  let documents: DocumentService;

  beforeAll(async () => {
    [fixture, printer, work] = await Promise.all([
      startPlatformFixture(),
      startIppPrinterSimulator(),
      mkdtemp(path.join(tmpdir(), 'kiosk-doc-test-')),
    ]);
    documents = createDocumentService({
      sessions,
      applicant: () => card,
      requestDocument: (request) =>
        requestDocument(
          { baseUrl: fixture.platform.url, terminalId: fixture.terminalId, privateKey: fixture.keys.privateKey },
          request,
        ),
      printer: () => Promise.resolve(new A4PrinterDriver({ uri: printer.uri })),
      log: recordingLog(kioskLog),
      pollMs: 50,
    });
  });
  afterAll(async () => {
    await Promise.all([fixture.close(), printer.close()]);
    await rm(work, { recursive: true, force: true });
  });

  it('prints the 12-month contribution record, and its QR verifies with the hash of what arrived', async () => {
    sessions.start();
    card = decodedSampleCard('resident-rare-char');
    expect(await documents.printerState()).toEqual({ state: 'ready', warnings: [] });
    const issued = await documents.request('social-insurance-contributions', 12);
    if (!issued.ok) throw new Error(JSON.stringify(issued.error));
    const { documentNumber, sha256, pageCount } = issued.value;
    expect(documentNumber).toMatch(/^ZM\d{16}$/);

    const printed = await documents.print(documentNumber);
    expect(printed).toEqual({ ok: true, value: { pages: pageCount } });
    const [arrived] = await printer.received();
    const file = path.join(work, 'arrived.pdf');
    await writeFile(file, arrived ?? Buffer.alloc(0));
    expect((await run('sha256sum', [file])).stdout.slice(0, 64)).toBe(sha256);

    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout.replace(/[ \t]+/g, '');
    expect(text).toContain('社会保险个人缴费记录');
    expect(text).toContain('李𠮷');
    expect(text).toContain(`第1页共${pageCount}页`);

    await run('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-png', file, path.join(work, 'page')]);
    const qr = (await run('zbarimg', ['--quiet', '--raw', path.join(work, 'page-1.png')])).stdout.trim();
    expect(qr.startsWith(`${fixture.platform.url}/documents/verify?n=${documentNumber}&c=`)).toBe(true);
    const answer = documentVerifyResponseSchema.parse(
      await (await fetch(qr, { headers: { accept: 'application/json' } })).json(),
    );
    expect(answer).toMatchObject({ valid: true, documentNumber, sha256, maskedName: '李*' });
    // The page for people says the same, and nothing more about the person.
    const html = await (await fetch(qr)).text();
    expect(html).toContain('真实有效');
    expect(html).toContain(sha256);
    expect(html).not.toContain('330106');

    // A wrong code learns nothing.
    const wrong = await fetch(`${fixture.platform.url}/documents/verify?n=${documentNumber}&c=0000000000`, {
      headers: { accept: 'application/json' },
    });
    expect(await wrong.json()).toMatchObject({ valid: false });

    // The session's end drops the PDF; logs never named the person.
    sessions.end('finished');
    sessions.start();
    expect(documents.pdf(documentNumber)).toMatchObject({ ok: false, error: { kind: 'no-document' } });
    sessions.end('finished');
    const logs = JSON.stringify([...kioskLog, ...fixture.logLines]);
    expect(logs).not.toContain('李');
    expect(logs).not.toContain('330106199007180245');
  });

  it('a person without records gets "no record", and no PDF', async () => {
    sessions.start();
    card = decodedSampleCard('permit-j');
    expect(await documents.request('pension-payments', 12)).toMatchObject({ ok: false, error: { kind: 'no-record' } });
    sessions.end('finished');
  });
});

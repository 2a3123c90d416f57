import { A4PrinterDriver } from '../drivers/a4-printer/a4-printer-driver';
import { startIppPrinterSimulator } from '../drivers/a4-printer/ipp-printer-simulator';
import { createDocumentService } from '../electron/services/documents/document-service';
import { requestDocument } from '../electron/services/platform-client/http-platform-client';
import { createSessionService } from '../electron/services/session/session-service';
import { silentLog } from '../foundation/log';
import { startPlatformFixture } from '../test/support/platform-fixture';
import { decodedSampleCard } from '../test/support/sample-id-cards';
import { figure, section, summarize } from './stats';

/**
 * Issue 15: from the resident's "print" tap (the document already previewed) to the PDF arriving
 * at the printer's engine (ippeveprinter on loopback), through the kiosk's document service and
 * IPP; and the platform's time to answer a 36-month record (records, PDF with the CJK subset,
 * signature). Goal: ≤ 3 s tap to first page.
 */
export async function benchDocuments(options: { runs: number }): Promise<void> {
  section('documents (查询打印, issue 15)');
  const [fixture, printer] = await Promise.all([startPlatformFixture({ log: silentLog }), startIppPrinterSimulator()]);
  const sessions = createSessionService(silentLog);
  const card = decodedSampleCard('resident-rare-char');
  const documents = createDocumentService({
    sessions,
    applicant: () => card,
    requestDocument: (request) =>
      requestDocument(
        { baseUrl: fixture.platform.url, terminalId: fixture.terminalId, privateKey: fixture.keys.privateKey },
        request,
      ),
    printer: () => Promise.resolve(new A4PrinterDriver({ uri: printer.uri })),
    log: silentLog,
    pollMs: 50,
  });
  const generate: number[] = [];
  const tapToPage: number[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      sessions.start();
      const asked = performance.now();
      const issued = await documents.request('social-insurance-contributions', 36);
      generate.push(performance.now() - asked);
      if (!issued.ok) throw new Error(`document request failed: ${issued.error.kind}`);
      const before = (await printer.received()).length;
      const tapped = performance.now();
      const printed = documents.print(issued.value.documentNumber);
      while ((await printer.received()).length === before) await new Promise((r) => setTimeout(r, 5));
      tapToPage.push(performance.now() - tapped);
      const result = await printed;
      if (!result.ok) throw new Error(`print failed: ${result.error.kind}`);
      sessions.end('finished');
    }
  } finally {
    await Promise.all([fixture.close(), printer.close()]);
  }
  const tap = summarize(tapToPage);
  const gen = summarize(generate);
  console.log(`document tap to first page: ${Math.round(tap.p50)} ms`);
  figure('document tap to first page, p95', `${Math.round(tap.p95)} ms (${options.runs} runs)`, {
    met: tap.p95 <= 3000,
    text: '≤ 3000 ms',
  });
  figure(
    '36-month record: request → signed PDF received, p50 / max',
    `${Math.round(gen.p50)} / ${Math.round(Math.max(...generate))} ms (first includes font load)`,
  );
}

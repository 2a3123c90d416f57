import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { bundleServices, externalPackages, projectRoot } from '../../packaging/build-deb';

// The installed package runs the services as one esbuild bundle beside a few native packages only,
// so a library that loads files from its own folder at run time fails there and nowhere else: pdfkit's
// default Helvetica did ("Cannot find module '#standard-fonts/Helvetica'"). This bundles the proof
// renderer (and the kiosk's A4 test page, pdfkit too) with the package's own bundling step into a
// folder without node_modules and renders both.
const run = promisify(execFile);
let work: string | undefined;
afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

it('renders a proof PDF and the A4 test page from the package-style bundle, run from a folder without node_modules', async () => {
  work = await mkdtemp(path.join(tmpdir(), 'kiosk-proof-bundle-'));
  const entry = path.join(work, 'render-proof.ts');
  const renderer = path.join(projectRoot, 'platform', 'server', 'documents', 'document-pdf.ts');
  const testPage = path.join(projectRoot, 'electron', 'services', 'documents', 'test-page-pdf.ts');
  await writeFile(
    entry,
    `import { writeFileSync } from 'node:fs';
import { renderProofPdf } from ${JSON.stringify(renderer)};
import { renderTestPagePdf } from ${JSON.stringify(testPage)};
const pdf = await renderProofPdf({
  title: '社会保险个人缴费记录',
  documentNumber: 'ZM0000000000000001',
  issuedOn: '2026年12月3日',
  issuingOffice: '青石镇社会保障服务中心',
  subjectLines: ['姓名：测试'],
  statement: ['兹证明以下缴费记录属实。'],
  table: { columns: [{ title: '月份', weight: 1 }, { title: '金额', weight: 1, align: 'right' }], rows: [['2026年11月', '200.00']] },
  verification: { qrText: 'https://platform.example/documents/verify?n=ZM0000000000000001&c=1234567890', code: '1234567890', pageUrl: 'https://platform.example/documents/verify' },
});
process.stdout.write(pdf);
writeFileSync('test-page.pdf', await renderTestPagePdf({ terminalId: 'VK-TEST-1', terminalName: '测试终端', printer: 'ipp://printer.local/ipp/print', at: new Date() }));
`,
  );
  const bundle = path.join(work, 'out', 'render-proof.mjs');
  await bundleServices(bundle, externalPackages(projectRoot), entry);
  const { stdout } = await run(process.execPath, [bundle], {
    cwd: path.dirname(bundle),
    encoding: 'buffer',
    maxBuffer: 16 * 1024 * 1024,
  });
  expect(stdout.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const file = path.join(work, 'proof.pdf');
  await writeFile(file, stdout);
  const text = (await run('pdftotext', [file, '-'])).stdout.replace(/\s+/g, '');
  expect(text).toContain('社会保险个人缴费记录');
  expect(text).toContain('第1页共1页');
  const page = (await run('pdftotext', [path.join(path.dirname(bundle), 'test-page.pdf'), '-'])).stdout;
  expect(page.replace(/\s+/g, '')).toContain('A4打印机测试页');
  expect(page).toContain('VK-TEST-1');
}, 60_000);

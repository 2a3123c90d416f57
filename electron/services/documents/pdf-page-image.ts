import { spawn } from 'node:child_process';
import { err, ok, type Result } from '../../../foundation/result';

/**
 * One page of a PDF as a PNG, for the preview on screen, drawn by poppler's `pdftoppm` from stdin
 * to stdout: the document never touches the disk.
 */
export function pdfPageImage(pdf: Buffer, page: number, dpi = 110): Promise<Result<Buffer, string>> {
  return new Promise((resolve) => {
    const child = spawn(
      'pdftoppm',
      ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', '-'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    let errText = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (errText += chunk.toString('utf8')));
    child.on('error', (error) => resolve(err(error.message)));
    child.on('close', (code) => {
      const png = Buffer.concat(out);
      resolve(code === 0 && png.length > 0 ? ok(png) : err(errText.trim().slice(0, 200) || `pdftoppm exited ${code}`));
    });
    // A closed pipe (pdftoppm failed early) is reported by 'close'.
    child.stdin.on('error', () => undefined);
    child.stdin.end(pdf);
  });
}

import http from 'node:http';
import https from 'node:https';
import { err, ok, type Result } from '../../foundation/result';

/**
 * IPP over HTTP (RFC 8010 §4): one POST of `application/ipp` per operation, the document (if any)
 * after the IPP header in the same body. `ipp://host/path` is http on port 631, `ipps://` is https.
 * Answers are size-limited (the operations we send answer in a few KiB) and time-limited.
 */
export type IppTransportError =
  | { readonly kind: 'bad-uri'; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string }
  | { readonly kind: 'http-error'; readonly message: string };

export interface IppEndpoint {
  readonly url: URL;
  /** The printer-uri to put in requests: the configured ipp:// form. */
  readonly printerUri: string;
}

const MAX_ANSWER_BYTES = 256 * 1024;

export function parsePrinterUri(uri: string): Result<IppEndpoint, IppTransportError> {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return err({ kind: 'bad-uri', message: `not a URI: ${uri}` });
  }
  const scheme = { 'ipp:': 'http:', 'ipps:': 'https:', 'http:': 'http:', 'https:': 'https:' }[parsed.protocol];
  if (scheme === undefined) return err({ kind: 'bad-uri', message: `not an IPP URI: ${parsed.protocol}` });
  const url = new URL(parsed.toString().replace(/^[a-z]+:/, scheme));
  if (parsed.port === '' && (parsed.protocol === 'ipp:' || parsed.protocol === 'ipps:')) url.port = '631';
  return ok({ url, printerUri: uri });
}

export function postIpp(
  endpoint: IppEndpoint,
  header: Buffer,
  document: Buffer | undefined,
  timeoutMs: number,
): Promise<Result<Buffer, IppTransportError>> {
  const body = document === undefined ? header : Buffer.concat([header, document]);
  const client = endpoint.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      endpoint.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/ipp', 'content-length': body.length },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            request.destroy();
            resolve(err({ kind: 'http-error', message: `answer over ${MAX_ANSWER_BYTES} bytes` }));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          if (response.statusCode !== 200) {
            resolve(err({ kind: 'http-error', message: `HTTP ${response.statusCode ?? '?'}` }));
          } else {
            resolve(ok(Buffer.concat(chunks)));
          }
        });
        response.on('error', (e) => resolve(err({ kind: 'unreachable', message: e.message })));
      },
    );
    request.on('timeout', () => {
      request.destroy();
      resolve(err({ kind: 'timeout', message: `no answer in ${timeoutMs} ms` }));
    });
    request.on('error', (e) => resolve(err({ kind: 'unreachable', message: e.message })));
    request.end(body);
  });
}

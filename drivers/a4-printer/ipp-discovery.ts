import { execFile } from 'node:child_process';

/**
 * IPP printers on the local network, found with DNS-SD by CUPS's `ippfind` (cups-ipp-utils), which
 * browses `_ipp._tcp` and `_ipps._tcp` through the machine's Avahi daemon. Without Avahi (or without
 * ippfind) nothing can be found: that is an answer of its own, so the technician types the URI.
 */
export interface FoundIppPrinter {
  readonly uri: string;
  /** The DNS-SD service instance name, e.g. "HP LaserJet M404 [1A2B3C]". */
  readonly name: string;
}

export type IppDiscovery =
  | { readonly kind: 'found'; readonly printers: readonly FoundIppPrinter[] }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface IppDiscoveryOptions {
  /** How long ippfind browses, in seconds. */
  readonly seconds?: number;
  readonly binary?: string;
  readonly maxPrinters?: number;
}

const MAX_OUTPUT_BYTES = 64 * 1024;

/** ippfind's `-x` output, one `uri<TAB>name` line per service: IPP URIs only, each once. */
export function parseIppfindLines(output: string, maxPrinters = 50): FoundIppPrinter[] {
  const printers = new Map<string, FoundIppPrinter>();
  for (const line of output.split('\n')) {
    const [uri = '', ...name] = line.split('\t');
    if (!/^ipps?:\/\/[^\s]+$/.test(uri) || uri.length > 300 || printers.has(uri)) continue;
    printers.set(uri, { uri, name: name.join(' ').trim().slice(0, 200) || uri });
    if (printers.size >= maxPrinters) break;
  }
  return [...printers.values()];
}

export function discoverIppPrinters(options: IppDiscoveryOptions = {}): Promise<IppDiscovery> {
  const seconds = options.seconds ?? 3;
  const args = [
    '-T',
    String(seconds),
    '_ipp._tcp',
    '_ipps._tcp',
    // No shell: printf is run by ippfind itself, once per service, with the values as arguments.
    '-x',
    '/usr/bin/printf',
    '%s\\t%s\\n',
    '{service_uri}',
    '{service_name}',
    ';',
  ];
  return new Promise((resolve) => {
    execFile(
      options.binary ?? 'ippfind',
      args,
      { timeout: (seconds + 5) * 1000, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const printers = parseIppfindLines(stdout, options.maxPrinters);
        if (printers.length > 0) return resolve({ kind: 'found', printers });
        // 0: all matched; 1: nothing matched (none found). 2: browsing failed (no Avahi).
        const code = error === null ? 0 : error.code;
        if (code === 0 || code === 1) return resolve({ kind: 'found', printers: [] });
        const said = stderr.trim().split('\n')[0] ?? '';
        resolve({
          kind: 'unavailable',
          reason: (code === 'ENOENT' ? 'ippfind is not installed' : said || String(code ?? 'failed')).slice(0, 300),
        });
      },
    );
  });
}

/**
 * Whether an address stays on this machine. Plain HTTP is acceptable only there: the platform
 * refuses to serve it elsewhere without an explicit flag, and the kiosk refuses to call it.
 */

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `localhost`, 127.0.0.0/8, `::1` and the IPv4-mapped `::ffff:127.x.y.z`; brackets are accepted. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  const v4 = mapped ?? bare;
  if (ipv4.test(v4)) return v4.startsWith('127.');
  // ::1 written out in any of its forms (no dependency on node:net: the config schema also runs in pages).
  return /^(0{1,4}:){7}0{0,3}1$|^(0{1,4}:){0,6}:(0{1,4}:){0,6}0{0,3}1$/.test(bare) || bare === '::1';
}

/** Null when the URL may be used; otherwise why not, in one line. */
export function plainHttpRefusal(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol !== 'http:') return `${parsed.protocol} is not a platform address; use https://`;
  return isLoopbackHost(parsed.hostname)
    ? null
    : `http:// sends residents' applications in clear over the network; use https:// (plain http is only for a platform on this machine: 127.0.0.1, ::1, localhost)`;
}

/**
 * Check of resident ID numbers (GB 11643-1999) and the numbers built the same way: HK/Macau
 * (810000/820000) and Taiwan (830000) residence permits, and the 2023 foreigner's permanent
 * residence card (`9` + accepting province + nationality code + birth date + sequence + check).
 */
export type IdNumberReason =
  'valid' | 'bad-length' | 'bad-characters' | 'bad-region' | 'bad-birth-date' | 'bad-check-digit';

export type IdNumberHolder = 'resident' | 'hk-mo-permit' | 'tw-permit' | 'foreign-permanent';

export type IdNumberVerdict =
  | { readonly valid: true; readonly reason: 'valid'; readonly holder: IdNumberHolder }
  | { readonly valid: false; readonly reason: Exclude<IdNumberReason, 'valid'> };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Province-level codes (first two digits of a mainland region code). */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
]);

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

function localYmd(date: Date): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(date.getFullYear(), 4)}${pad(date.getMonth() + 1, 2)}${pad(date.getDate(), 2)}`;
}

/** True when `ymd` (8 digits) is a real calendar date. */
export function isRealDate(ymd: string): boolean {
  if (!/^\d{8}$/.test(ymd)) return false;
  const year = Number(ymd.slice(0, 4));
  const month = Number(ymd.slice(4, 6));
  const day = Number(ymd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function holderOf(id: string): IdNumberHolder | undefined {
  if (id.startsWith('9')) return PROVINCES.has(id.slice(1, 3)) ? 'foreign-permanent' : undefined;
  const province = id.slice(0, 2);
  if (id.startsWith('810000') || id.startsWith('820000')) return 'hk-mo-permit';
  if (id.startsWith('830000')) return 'tw-permit';
  return PROVINCES.has(province) ? 'resident' : undefined;
}

/** `today` is injectable so tests do not depend on the clock. Dates compare in local time. */
export function validateIdNumber(id: string, today: Date = new Date()): IdNumberVerdict {
  if (id.length !== 18) return { valid: false, reason: 'bad-length' };
  if (!/^\d{17}[\dX]$/.test(id)) return { valid: false, reason: 'bad-characters' };
  const holder = holderOf(id);
  if (holder === undefined) return { valid: false, reason: 'bad-region' };
  const birth = id.slice(6, 14);
  if (!isRealDate(birth) || birth < '18900101' || birth > localYmd(today))
    return { valid: false, reason: 'bad-birth-date' };
  if (idNumberCheckChar(id) !== id[17]) return { valid: false, reason: 'bad-check-digit' };
  return { valid: true, reason: 'valid', holder };
}

/**
 * The 2017 foreigner's permanent residence card number: 3 Latin letters (nationality) and 12
 * digits. Its check rule is not documented for us, so only the shape is checked.
 */
export function validateForeignPermanentNumber2017(id: string): IdNumberVerdict {
  if (id.length !== 15) return { valid: false, reason: 'bad-length' };
  if (!/^[A-Z]{3}\d{12}$/.test(id)) return { valid: false, reason: 'bad-characters' };
  return { valid: true, reason: 'valid', holder: 'foreign-permanent' };
}

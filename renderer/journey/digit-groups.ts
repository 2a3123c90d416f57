/**
 * Long numbers the way people read them aloud and copy them: in groups (docs/ux.md). One place for
 * every grouping on screen, so a phone, a bank card and the number to keep look the same everywhere.
 */

/**
 * A mobile number the way people say it, 138 1234 5678, also while it is being typed (138 12).
 * Anything but up to 11 digits is left as it is.
 */
export function groupedPhone(digits: string): string {
  if (!/^\d{0,11}$/.test(digits)) return digits;
  return [digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)].filter((g) => g !== '').join(' ');
}

/** Digits in groups of `size` from the left, as typed so far: 6222 0212 3456 7894. */
export function groupedBy(digits: string, size: number): string {
  return digits.replace(new RegExp(`(\\d{${size}})(?=\\d)`, 'g'), '$1 ');
}

/**
 * What the voice says for a grouped number: each digit on its own, a pause between groups
 * ("1 3 8，1 2 3 4，5 6 7 8"), so 138 is never read as a hundred and thirty-eight.
 */
export function spokenDigits(grouped: string): string {
  return grouped
    .split(' ')
    .filter((group) => group !== '')
    .map((group) => [...group].join(' '))
    .join('，');
}

/** The number to keep (the receipt's verification code): 12345 67890. */
export function groupedCode(code: string): string {
  return groupedBy(code, 5);
}

/**
 * Text shaped like a resident's ID number (18 characters, or the 9-prefixed foreigner's permit) or
 * a mainland mobile number. Diagnostics are built from non-personal sources; these patterns are the
 * last check on the terminal (blanked before writing) and on the platform (a bundle holding one is
 * refused).
 */
const idNumberLike = /\b\d{17}[\dXx]\b|\b9\d{16}[\dXx]\b/g;
const mobileLike = /\b1[3-9]\d{9}\b/g;

export function scrubPersonalPatterns(text: string): string {
  return text.replace(idNumberLike, '[redacted]').replace(mobileLike, '[redacted]');
}

export function containsPersonalPattern(text: string): boolean {
  return scrubPersonalPatterns(text) !== text;
}

/**
 * How personal identifiers are shown on screen and on receipts. Rules:
 * - ID numbers of 11+ characters keep the first 6 and last 4 (`110105********0021`); shorter
 *   numbers (pass numbers) keep the first and the last 2; 4 or fewer are masked entirely.
 * - Names keep their first character and mask every other one (张三 → 张*, 欧阳小明 → 欧***);
 *   spaces in Latin names stay so the shape is recognisable (SMITH JOHN → S**** ****).
 *   A one-character name is masked entirely. Characters are counted as code points, so a rare character outside the BMP (𠮷) is one.
 */
export function maskIdNumber(id: string): string {
  const chars = [...id];
  const n = chars.length;
  if (n <= 4) return '*'.repeat(n);
  const [keepStart, keepEnd] = n >= 11 ? [6, 4] : [1, 2];
  return chars.slice(0, keepStart).join('') + '*'.repeat(n - keepStart - keepEnd) + chars.slice(n - keepEnd).join('');
}

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return (
    (chars[0] ?? '') +
    chars
      .slice(1)
      .map((c) => (/\s/.test(c) ? c : '*'))
      .join('')
  );
}

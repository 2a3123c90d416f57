/**
 * Masks for personal data on anything a passer-by could see (screen, paper, QR payloads):
 * UX.md asks for `110105********1234` and partly hidden names.
 */

/** 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜; one character → *. Counts characters, not UTF-16 units. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 18-digit resident numbers keep the region (6) and the last 4: 110105********1234. Shorter numbers keep proportionally less. */
export function maskIdNumber(idNumber: string): string {
  const chars = Array.from(idNumber.trim());
  const head = Math.min(6, Math.floor(chars.length / 3));
  const tail = Math.min(4, Math.floor(chars.length / 4));
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

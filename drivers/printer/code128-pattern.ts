/**
 * Code 128 bar patterns (ISO/IEC 15417), used to draw barcodes in the PNG preview and in the
 * simulator's picture of a receipt. Each symbol is six widths (bar, space, …) summing to 11 modules;
 * the stop symbol has seven (13 modules).
 */
const PATTERNS = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
] as const;

export const CODE128_START_B = 104;
export const CODE128_STOP = 106;

export function code128Pattern(value: number): readonly number[] {
  const p = PATTERNS[value];
  if (p === undefined) throw new RangeError(`no Code 128 symbol ${value}`);
  return [...p].map(Number);
}

/** The symbol values for `data` in code set B: start B, data, checksum, stop. */
export function code128BValues(data: string): number[] {
  const values = [CODE128_START_B];
  for (const char of data) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw new RangeError('Code 128 set B carries printable ASCII only');
    values.push(code - 0x20);
  }
  let sum = CODE128_START_B;
  for (let i = 1; i < values.length; i++) sum += (values[i] ?? 0) * i;
  values.push(sum % 103, CODE128_STOP);
  return values;
}

/** Alternating bar/space widths in modules, starting with a bar. */
export function code128BModules(data: string): number[] {
  return code128BValues(data).flatMap((v) => code128Pattern(v));
}

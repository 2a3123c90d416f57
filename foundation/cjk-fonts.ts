import { readFileSync } from 'node:fs';

/**
 * The CJK fonts A4 PDFs are set in (fonts-noto-cjk, a Depends of the package): the platform's proofs
 * and the kiosk's printer test page. PDF writers embed only the glyphs a page uses.
 */
export interface CjkFonts {
  readonly regular: { readonly path: string; readonly postscriptName?: string };
  readonly bold: { readonly path: string; readonly postscriptName?: string };
}

export const NOTO_CJK_FONTS: CjkFonts = {
  regular: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' },
  bold: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKsc-Bold' },
};

// The font files are large (19 MiB each): read once per process.
const fontCache = new Map<string, Buffer>();
export function fontBytes(file: string): Buffer {
  let bytes = fontCache.get(file);
  if (bytes === undefined) {
    bytes = readFileSync(file);
    fontCache.set(file, bytes);
  }
  return bytes;
}

/**
 * What a receipt printer model can do, as data. Renderers lay out to `columns`/`dots`; the encoder
 * falls back (text substitutes instead of raster, no QR) when a capability is missing.
 * Font A on these printers is 12×24 dots, so columns = dots / 12.
 */
export type PaperWidth = 58 | 80;

export interface PrinterCapabilities {
  readonly qr: boolean;
  readonly code128: boolean;
  /** GS v 0 raster images (also used for characters outside GBK). */
  readonly raster: boolean;
  readonly cutter: boolean;
  /** FS & / FS . Chinese character mode with GB 2-byte codes. */
  readonly chineseMode: boolean;
  /** DLE EOT real-time status and GS a automatic status back. */
  readonly statusBack: boolean;
}

export interface PrinterProfile {
  readonly id: string;
  readonly paperWidth: PaperWidth;
  /** Printable dots per line. */
  readonly dots: number;
  /** ASCII (half-width) characters per line at normal size; a CJK character takes two. */
  readonly columns: number;
  /** Dots per half-width column (font A). */
  readonly columnDots: number;
  /** Height of a normal-size text line in dots (24-dot font + default line spacing gap). */
  readonly lineDots: number;
  readonly capabilities: PrinterCapabilities;
}

const fullCapabilities: PrinterCapabilities = {
  qr: true,
  code128: true,
  raster: true,
  cutter: true,
  chineseMode: true,
  statusBack: true,
};

export const PROFILE_58MM: PrinterProfile = {
  id: 'escpos-58mm',
  paperWidth: 58,
  dots: 384,
  columns: 32,
  columnDots: 12,
  lineDots: 30,
  capabilities: fullCapabilities,
};

export const PROFILE_80MM: PrinterProfile = {
  id: 'escpos-80mm',
  paperWidth: 80,
  dots: 576,
  columns: 48,
  columnDots: 12,
  lineDots: 30,
  capabilities: fullCapabilities,
};

export function profileForWidth(width: PaperWidth): PrinterProfile {
  switch (width) {
    case 58:
      return PROFILE_58MM;
    case 80:
      return PROFILE_80MM;
  }
}

/** A profile with some capabilities switched off (cheap printers without cutter or raster). */
export function withCapabilities(profile: PrinterProfile, changes: Partial<PrinterCapabilities>): PrinterProfile {
  return { ...profile, id: `${profile.id}-custom`, capabilities: { ...profile.capabilities, ...changes } };
}

export function parsePaperWidth(text: string): PaperWidth | null {
  if (text === '58') return 58;
  if (text === '80') return 80;
  return null;
}

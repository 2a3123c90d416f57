import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { EscPosEncoder, type Align, type TextSize } from '../printer/escpos-encoder';
import type { PrinterProfile } from '../printer/printer-profiles';
import { assertNever, ok, type Result } from '../../foundation/result';
import { validateReceipt, type ReceiptDocument, type ReceiptModelError } from './receipt-model';

export interface RenderedJob {
  readonly bytes: Uint8Array;
  /** Lines drawn as pictures / characters replaced by □ (characters outside GBK). */
  readonly rasterLines: number;
  readonly substitutedChars: number;
}

/** Rule lines are drawn with ASCII so they are exactly `columns` wide on every printer. */
export function ruleText(style: 'single' | 'double', columns: number): string {
  return (style === 'double' ? '=' : '-').repeat(columns);
}

/**
 * A receipt document → the ESC/POS bytes for one job (initialise … cut). Style commands are sent
 * only when they change. Capabilities the profile lacks degrade to text: a QR code or barcode
 * prints its data as a line, an image is left out (and logged).
 */
export function renderEscPos(
  doc: ReceiptDocument,
  profile: PrinterProfile,
  log: Log = silentLog,
): Result<RenderedJob, ReceiptModelError> {
  const valid = validateReceipt(doc);
  if (!valid.ok) return valid;
  const enc = new EscPosEncoder(profile, { log });
  enc.initialise();
  let align: Align = 'left';
  let bold = false;
  let size: TextSize = 'normal';
  const setStyle = (next: { align?: Align; bold?: boolean; size?: TextSize }) => {
    if ((next.align ?? 'left') !== align) enc.align((align = next.align ?? 'left'));
    if ((next.bold ?? false) !== bold) enc.bold((bold = next.bold ?? false));
    if ((next.size ?? 'normal') !== size) enc.size((size = next.size ?? 'normal'));
  };
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'text':
        setStyle(block);
        enc.text(block.text);
        break;
      case 'rule':
        setStyle({});
        enc.text(ruleText(block.style ?? 'single', profile.columns));
        break;
      case 'space':
        setStyle({ align });
        if (block.lines > 0) enc.text('\n'.repeat(block.lines - 1));
        break;
      case 'qr':
        setStyle({ align: block.align ?? 'center' });
        if (profile.capabilities.qr) {
          const options =
            block.errorLevel === undefined
              ? { moduleSize: block.size ?? 6 }
              : { moduleSize: block.size ?? 6, errorLevel: block.errorLevel };
          enc.qr(block.payload, options); // prints at once, no LF needed
        } else enc.text(block.payload);
        break;
      case 'barcode':
        setStyle({ align: block.align ?? 'center' });
        if (profile.capabilities.code128)
          enc.code128(block.data, block.height === undefined ? {} : { height: block.height });
        else enc.text(block.data);
        break;
      case 'image':
        setStyle({});
        if (profile.capabilities.raster) enc.image(block.bitmap, block.threshold);
        else log.warn({ profile: profile.id }, 'image left out: printer has no raster support');
        break;
      case 'feed':
        enc.feed(block.lines);
        break;
      case 'cut':
        enc.cut();
        break;
      default:
        assertNever(block, 'receipt block');
    }
  }
  return ok({ bytes: enc.encode(), ...enc.fallbacks });
}

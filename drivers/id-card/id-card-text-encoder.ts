import {
  CARD_TYPE_OFFSET,
  FOREIGN_PERMANENT_LAYOUT,
  HK_MO_TW_PERMIT_LAYOUT,
  RESIDENT_LAYOUT,
  type LayoutFields,
} from './id-card-text';
import { ID_CARD_TEXT_LENGTH } from './sam-response';

/**
 * Builds a card's 256-byte text block from its fields as printed on the card (dates YYYYMMDD,
 * validity end possibly 长期, codes as digits). For the simulator and tests; the kiosk only decodes.
 */
type Omit2<T, K extends PropertyKey> = { [P in Exclude<keyof T, K>]: T[P] };

export type ResidentTextSource = { readonly cardType: 'resident' } & Omit2<
  LayoutFields<typeof RESIDENT_LAYOUT>,
  'reserved'
>;
export type ForeignPermanentTextSource = { readonly cardType: 'foreign-permanent' } & Omit2<
  LayoutFields<typeof FOREIGN_PERMANENT_LAYOUT>,
  'type' | 'reserved'
>;
export type HkMoTwPermitTextSource = { readonly cardType: 'hk-mo-tw-permit' } & Omit2<
  LayoutFields<typeof HK_MO_TW_PERMIT_LAYOUT>,
  'reserved1' | 'reserved2' | 'reserved3' | 'type'
>;
/** A card whose layout we do not decode (e.g. the 2023 foreigner's card `Y`): only its type char is set. */
export interface OtherTextSource {
  readonly cardType: 'other';
  readonly typeChar: string;
}

export type IdCardTextSource =
  ResidentTextSource | ForeignPermanentTextSource | HkMoTwPermitTextSource | OtherTextSource;

function writeField(out: Uint8Array, offset: number, size: number, value: string, name: string): void {
  const units: number[] = [];
  for (let i = 0; i < value.length; i++) units.push(value.charCodeAt(i));
  if (units.length * 2 > size) throw new RangeError(`field ${name} needs ${units.length * 2} bytes, has ${size}`);
  for (let i = 0; i < size / 2; i++) {
    const unit = units[i] ?? 0x20;
    out[offset + 2 * i] = unit & 0xff;
    out[offset + 2 * i + 1] = unit >> 8;
  }
}

function encodeLayout(
  layout: readonly (readonly [string, number])[],
  values: Readonly<Record<string, string>>,
  typeChar: string,
): Uint8Array {
  const out = new Uint8Array(ID_CARD_TEXT_LENGTH);
  let offset = 0;
  for (const [name, size] of layout) {
    writeField(out, offset, size, values[name] ?? '', name);
    offset += size;
  }
  writeField(out, CARD_TYPE_OFFSET, 2, typeChar, 'type');
  return out;
}

export function encodeIdCardText(source: IdCardTextSource): Uint8Array {
  switch (source.cardType) {
    case 'resident':
      return encodeLayout(RESIDENT_LAYOUT, source, ' ');
    case 'foreign-permanent':
      return encodeLayout(FOREIGN_PERMANENT_LAYOUT, source, 'I');
    case 'hk-mo-tw-permit':
      return encodeLayout(HK_MO_TW_PERMIT_LAYOUT, source, 'J');
    case 'other':
      return encodeLayout([], {}, source.typeChar);
  }
}

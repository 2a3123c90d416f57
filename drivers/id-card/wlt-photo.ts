import { err, type Result } from '../../foundation/result';

/**
 * The card photo arrives as 1024 bytes of WLT, an encrypted format only the reader vendor's
 * library can turn into pixels. The kiosk keeps the raw bytes and works on text fields alone
 * unless a vendor decoder is plugged in behind this interface.
 */
export interface DecodedIdPhoto {
  readonly width: 102;
  readonly height: 126;
  /** 102 × 126 × 3 bytes, blue-green-red, rows top to bottom. */
  readonly bgr: Uint8Array;
}

export type WltDecodeError =
  { readonly kind: 'no-decoder' } | { readonly kind: 'decode-failed'; readonly message: string };

export interface WltPhotoDecoder {
  decode(wlt: Uint8Array): Result<DecodedIdPhoto, WltDecodeError>;
}

/** The only decoder shipped: says there is none. */
export const noWltPhotoDecoder: WltPhotoDecoder = {
  decode: () => err({ kind: 'no-decoder' }),
};

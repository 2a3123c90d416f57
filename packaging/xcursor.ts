/**
 * A fully transparent Xcursor image (libXcursor's file format: "Xcur" header, a table of contents,
 * one image chunk of ARGB pixels, all little-endian). The kiosk's cursor theme uses it for every
 * cursor name, so neither cage nor the browser draws a pointer on the touch screen.
 */
const imageType = 0xfffd0002;

export function transparentXcursor(nominalSize = 24): Buffer {
  const width = 1;
  const height = 1;
  const headerSize = 16;
  const tocSize = 12;
  const imageHeaderSize = 36;
  const buffer = Buffer.alloc(headerSize + tocSize + imageHeaderSize + width * height * 4);
  let at = 0;
  const u32 = (value: number) => {
    buffer.writeUInt32LE(value >>> 0, at);
    at += 4;
  };
  buffer.write('Xcur', 0, 'latin1');
  at = 4;
  u32(headerSize);
  u32(0x10000); // file version
  u32(1); // one table-of-contents entry
  u32(imageType);
  u32(nominalSize);
  u32(headerSize + tocSize); // where the image chunk starts
  u32(imageHeaderSize);
  u32(imageType);
  u32(nominalSize);
  u32(1); // image version
  u32(width);
  u32(height);
  u32(0); // hotspot x
  u32(0); // hotspot y
  u32(0); // delay (not animated)
  u32(0x00000000); // one ARGB pixel, alpha 0
  return buffer;
}

/** Names Chromium, GTK and wlroots ask a theme for (CSS cursors and the X11 core names). */
export const cursorNames = [
  'default',
  'left_ptr',
  'arrow',
  'top_left_arrow',
  'pointer',
  'hand',
  'hand1',
  'hand2',
  'text',
  'xterm',
  'ibeam',
  'wait',
  'watch',
  'progress',
  'left_ptr_watch',
  'crosshair',
  'grab',
  'grabbing',
  'not-allowed',
  'col-resize',
  'row-resize',
  'move',
  'all-scroll',
] as const;

export const cursorThemeName = 'village-kiosk-blank';

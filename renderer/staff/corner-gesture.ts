/**
 * The discreet way into staff mode: five taps in the top-left corner within three seconds. Pure
 * logic here (tested); `useCornerGesture` listens on the document without covering anything, so
 * residents' taps there still reach whatever is under them.
 */
export const cornerSizePx = 120;
export const tapsNeeded = 5;
export const windowMs = 3000;

export function inCorner(x: number, y: number): boolean {
  return x >= 0 && y >= 0 && x < cornerSizePx && y < cornerSizePx;
}

/** The taps still counting after one more at `now`, and whether the gesture is complete. */
export function addTap(taps: readonly number[], now: number): { taps: number[]; complete: boolean } {
  const recent = [...taps.filter((t) => now - t < windowMs), now];
  return recent.length >= tapsNeeded ? { taps: [], complete: true } : { taps: recent, complete: false };
}

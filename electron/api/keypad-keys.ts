/**
 * The keys of the tactile keypad (EZ Access-style) as the rest of the kiosk knows them, whatever
 * device or keyboard produced them (docs/accessibility.md). The keypad device service emits these
 * as `keypad.key` notifications; the browser host's keyboard fallback maps keys to the same names.
 */
export const keypadKeys = [
  'up', // previous item
  'down', // next item
  'back', // previous screen
  'enter', // select the focused item
  'help', // explain this screen (pressed first: enter the audio mode)
  'repeat', // say the last thing again
  'volume-up',
  'volume-down',
  'rate-up', // speak faster
  'rate-down', // speak slower
  'privacy', // blank the screen / show it again (隐私模式)
] as const;
export type KeypadKey = (typeof keypadKeys)[number];

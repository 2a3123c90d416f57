/**
 * The keys of the tactile keypad (EZ Access-style) as the rest of the kiosk knows them, whatever
 * device or keyboard produced them (docs/accessibility.md, docs/devices/tactile-keypad.md). Here,
 * not in the contract, because the keypad driver maps device keys to these names and the contract's
 * `keypad.key` event carries them: like id-card-vocabulary.ts, one list both sides use.
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

/**
 * The keys of the tactile keypad as the contract names them. The list lives in foundation/ because
 * the keypad driver maps device keys to the same names (docs/devices/tactile-keypad.md); the keypad
 * device service emits these as `keypad.key` notifications, and the browser host's keyboard fallback
 * maps keys to the same names.
 */
export { keypadKeys, type KeypadKey } from '../../foundation/keypad-keys';

import { resolve } from 'node:path';
import { err, ok, type Result } from '../../foundation/result';

/**
 * The shell's own command line: `--config FILE`, `--data DIR`, `--technician`, `--allow-basic-text-key`
 * (also `--x=value`).
 * Electron and Chromium put their own switches in argv too, so unknown arguments are ignored.
 */
export interface ShellArgs {
  readonly configPath?: string;
  readonly dataDir?: string;
  /** Reload and DevTools allowed: `--technician` or KIOSK_TECHNICIAN=1. */
  readonly technician: boolean;
  /**
   * Accept Electron's basic_text safeStorage backend (no keyring: the data key then has the file
   * mode's protection only): `--allow-basic-text-key` or KIOSK_ALLOW_BASIC_TEXT_KEY=1. Refused otherwise.
   */
  readonly allowBasicTextKey: boolean;
}

const valued = { '--config': 'configPath', '--data': 'dataDir' } as const;
type ValuedFlag = keyof typeof valued;

function isValuedFlag(flag: string): flag is ValuedFlag {
  return Object.hasOwn(valued, flag);
}

export function parseShellArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Result<ShellArgs, string> {
  const found: { configPath?: string; dataDir?: string } = {};
  let technician = env['KIOSK_TECHNICIAN'] === '1';
  let allowBasicTextKey = env['KIOSK_ALLOW_BASIC_TEXT_KEY'] === '1';
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--technician') {
      technician = true;
      continue;
    }
    if (arg === '--allow-basic-text-key') {
      allowBasicTextKey = true;
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    if (!isValuedFlag(flag)) continue;
    let value: string | undefined;
    if (equals === -1) {
      value = argv[index + 1];
      index += 1;
    } else {
      value = arg.slice(equals + 1);
    }
    if (value === undefined || value === '' || value.startsWith('--')) return err(`${flag}: expected a path after it`);
    found[valued[flag]] = resolve(value);
  }
  return ok({ ...found, technician, allowBasicTextKey });
}

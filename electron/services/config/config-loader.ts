import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { configSchema, type KioskConfig } from '../../../kiosk-config/config-schema';
import { defaultConfig } from '../../../kiosk-config/default-config';
import { err, ok, type Result } from '../../../foundation/result';

/**
 * A configuration file holds only what differs from the embedded defaults; it is merged over them
 * and the result validated strictly. Problems come back as one line naming the field.
 */
export interface ConfigError {
  readonly kind: 'unreadable' | 'not-json' | 'invalid';
  /** One line: `<file>: <field>: <problem>`. */
  readonly message: string;
  /** The schema's first complaint, when it is a schema problem (the console words it for the technician). */
  readonly issue?: z.core.$ZodIssue;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars from the file replace the default. */
export function mergeOverDefaults(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = key in base ? mergeOverDefaults(base[key], value) : value;
  }
  // A device link switching kind must not inherit the old kind's fields.
  if ('kind' in override && 'kind' in base && override['kind'] !== base['kind']) return override;
  return merged;
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path === '' ? '' : `${path}.`;
    return issue.keys.map((key) => `${where}${key}: unknown setting (check the spelling)`).join('; ');
  }
  return `${path === '' ? '(top level)' : path}: ${issue.message}`;
}

export function validateConfig(candidate: unknown, source: string): Result<KioskConfig, ConfigError> {
  const parsed = configSchema.safeParse(mergeOverDefaults(defaultConfig, candidate));
  if (parsed.success) return ok(parsed.data);
  const first = parsed.error.issues[0];
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  return err({
    kind: 'invalid',
    message: `${source}: ${first === undefined ? 'invalid' : describeIssue(first)}${more}`,
    ...(first === undefined ? {} : { issue: first }),
  });
}

export async function loadConfig(path: string | undefined): Promise<Result<KioskConfig, ConfigError>> {
  if (path === undefined) return ok(defaultConfig);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    return err({ kind: 'unreadable', message: `${path}: ${why}` });
  }
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (error) {
    return err({
      kind: 'not-json',
      message: `${path}: not valid JSON (${error instanceof Error ? error.message : 'syntax error'})`,
    });
  }
  if (!isPlainObject(json)) return err({ kind: 'invalid', message: `${path}: (top level): must be a JSON object` });
  return validateConfig(json, path);
}

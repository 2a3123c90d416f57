import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertNever } from '../foundation/result';

/**
 * Which runtime a compiled addon (.node) loads in, read from its ELF dynamic symbols (binutils'
 * `nm -D`). An addon registers with the runtime in one of three ways (docs/native-addons.md):
 * - Node-API, which every Node and Electron of that API level loads: it defines
 *   `napi_register_module_v1`, or (the older macro) calls `napi_module_register` at load time;
 * - the V8/NAN interface, tied to one ABI: it defines `node_register_module_v<ABI>`, and any
 *   other runtime refuses it ("was compiled against a different Node.js version").
 */
export type AddonRegistration =
  { readonly kind: 'node-api' } | { readonly kind: 'abi'; readonly abi: number } | { readonly kind: 'none' };

export function addonRegistration(file: string): AddonRegistration {
  const result = spawnSync('nm', ['-D', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`nm -D ${file} failed: ${result.stderr.trim()}`);
  let abi: number | null = null;
  let nodeApi = false;
  for (const line of result.stdout.split('\n')) {
    // "<address> T <name>" for a defined symbol, "U <name>" for one the runtime must supply.
    const [a, b, c] = line.trim().split(/\s+/);
    const [type, name] = c === undefined ? [a, b] : [b, c];
    if (name === undefined) continue;
    if (type === 'T' && name === 'napi_register_module_v1') nodeApi = true;
    if (type === 'U' && name === 'napi_module_register') nodeApi = true;
    const versioned = type === 'T' ? /^node_register_module_v(\d+)$/.exec(name) : null;
    if (versioned?.[1] !== undefined) abi = Number(versioned[1]);
  }
  if (nodeApi) return { kind: 'node-api' };
  return abi === null ? { kind: 'none' } : { kind: 'abi', abi };
}

/** Why an addon registered so would not load in a runtime of ABI `abi`, or null when it would. */
export function loadProblem(registration: AddonRegistration, abi: number): string | null {
  switch (registration.kind) {
    case 'node-api':
      return null;
    case 'abi':
      return registration.abi === abi
        ? null
        : `built for ABI ${registration.abi} (node_register_module_v${registration.abi}), the runtime's is ${abi}`;
    case 'none':
      return `exports neither napi_register_module_v1 nor node_register_module_v${abi}: not an addon this runtime can load`;
    default:
      return assertNever(registration, 'addon registration');
  }
}

/** Why each of `files` would not load in a runtime of ABI `abi` (empty: all load). */
export function addonProblems(files: readonly string[], abi: number): string[] {
  return files.flatMap((file) => {
    const problem = loadProblem(addonRegistration(file), abi);
    return problem === null ? [] : [`${file}: ${problem}`];
  });
}

/** Every .node file under `dir`. */
export function addonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.node'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { electronAbi, mainBundleAddons, mainBundlePackages } from '../build-electron';
import { addonRegistration, loadProblem, type AddonRegistration } from '../native-addons';

/**
 * The Electron variant's first real run: every .node the shell's main bundle reaches must load in
 * Electron. Read here from the addons' ELF symbols, without the Electron binary. The project's own
 * node_modules are built for Node, so better-sqlite3 (the one addon not on Node-API) must show up
 * as unloadable — which is why `npm run package:electron` rebuilds them with @electron/rebuild and
 * runs the same check on the rebuilt copy before packing.
 */
describe("the addons the Electron shell's main bundle reaches", () => {
  let packages: string[];
  let addons: Map<string, AddonRegistration>;
  const problems = (abi: number) =>
    [...addons].flatMap(([file, registration]) => {
      const problem = loadProblem(registration, abi);
      return problem === null ? [] : [`${basename(file)}: ${problem}`];
    });

  beforeAll(async () => {
    packages = await mainBundlePackages();
    addons = new Map(mainBundleAddons(packages).map((file) => [file, addonRegistration(file)]));
  }, 120_000);

  it('are the database, serial, HID and canvas addons', () => {
    expect(packages).toEqual(expect.arrayContaining(['better-sqlite3', 'serialport', '@napi-rs/canvas']));
    expect(packages).not.toContain('electron');
    const names = [...addons.keys()].map((file) => basename(file));
    expect(names).toContain('better_sqlite3.node');
    expect(names.some((name) => name.includes('bindings-cpp'))).toBe(true);
    expect(names.some((name) => name.startsWith('skia.'))).toBe(true);
  });

  it("load in Electron's ABI only through Node-API: the Node-built better-sqlite3 is refused", () => {
    const abi = electronAbi();
    expect(abi).toBeGreaterThan(Number(process.versions.modules));
    expect(problems(abi)).toEqual([
      `better_sqlite3.node: built for ABI ${process.versions.modules} (node_register_module_v${process.versions.modules}), the runtime's is ${abi}`,
    ]);
    // The same files all load in the Node they were built for.
    expect(problems(Number(process.versions.modules))).toEqual([]);
  });

  it('tells Node-API addons (either registration) from ABI-bound ones and from other ELF files', () => {
    expect([...new Set([...addons.values()].map((r) => r.kind))].sort()).toEqual(['abi', 'node-api']);
    expect(addonRegistration('/bin/true')).toEqual({ kind: 'none' });
    expect(loadProblem({ kind: 'none' }, 150)).toMatch(/neither napi_register_module_v1 nor node_register_module_v150/);
  });
});

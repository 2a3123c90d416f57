import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Every row of docs/ARCHITECTURE.md's import table, tried as the forbidden import it forbids (and
 * a few allowed ones beside, so a rule that refused everything would fail too). Small sources
 * are linted as if they lived in each folder, against the same rules `npm run lint` applies.
 */
const repoRoot = resolve(import.meta.dirname, '../..');
const layerRuleIds = new Set([
  'boundaries/dependencies',
  'no-restricted-imports',
  '@typescript-eslint/no-restricted-imports',
]);
let eslint: ESLint;
beforeAll(() => {
  // The project's own eslint.config.js; type information is not needed for imports (and these files are not on disk).
  eslint = new ESLint({ cwd: repoRoot, overrideConfig: tseslint.configs.disableTypeChecked });
});

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${repoRoot}/${file}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === null || layerRuleIds.has(m.ruleId))
    .map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const forbidden: ReadonlyArray<readonly [string, string, string, RegExp]> = [
  // [row, file, source, what the report says]
  [
    'foundation imports nothing of the project',
    'foundation/x.ts',
    "import { ok } from '../drivers/transport/transport';",
    /foundation may not import drivers/,
  ],
  [
    'foundation imports no npm package',
    'foundation/x.ts',
    "import { z } from 'zod';",
    /foundation\/ imports no npm package/,
  ],
  [
    'kiosk-config imports nothing of the project but foundation/',
    'kiosk-config/x.ts',
    "import { SerialTransport } from '../drivers/transport/serial-transport';",
    /kiosk-config may not import drivers/,
  ],
  ['kiosk-config imports zod only', 'kiosk-config/x.ts', "import pino from 'pino';", /zod .* only/],
  [
    'drivers import nothing above them: services',
    'drivers/x.ts',
    "import { startKioskServices } from '../electron/services/kiosk-services';",
    /drivers may not import services/,
  ],
  [
    'drivers import nothing above them: the contract',
    'drivers/x.ts',
    "import { methods } from '../electron/api/contract';",
    /drivers may not import api/,
  ],
  [
    'drivers import nothing above them: configuration',
    'drivers/x.ts',
    "import { defaultConfig } from '../kiosk-config/default-config';",
    /drivers may not import kiosk-config/,
  ],
  [
    'drivers import nothing above them: platform',
    'drivers/x.ts',
    "import { verificationCode } from '../platform/contract/receipt-payload';",
    /drivers may not import platform-contract/,
  ],
  [
    'drivers import nothing above them: renderer',
    'drivers/x.ts',
    "import { App } from '../renderer/app';",
    /drivers may not import renderer/,
  ],
  [
    'platform/contract is pure: no drivers',
    'platform/contract/x.ts',
    "import { SerialTransport } from '../../drivers/transport/serial-transport';",
    /platform-contract may not import drivers/,
  ],
  [
    'platform/contract is pure: no server',
    'platform/contract/x.ts',
    "import { startPlatform } from '../server/start-platform';",
    /platform-contract may not import platform-server/,
  ],
  [
    'platform/contract is pure: zod and node:crypto only',
    'platform/contract/x.ts',
    "import { fastify } from 'fastify';",
    /zod .* only/,
  ],
  [
    'platform/server does not import the kiosk',
    'platform/server/x.ts',
    "import { startKioskServices } from '../../electron/services/kiosk-services';",
    /platform-server may not import services/,
  ],
  [
    'platform/server does not import drivers',
    'platform/server/x.ts',
    "import { SerialTransport } from '../../drivers/transport/serial-transport';",
    /platform-server may not import drivers/,
  ],
  [
    'electron/api: no services',
    'electron/api/x.ts',
    "import { startKioskServices } from '../services/kiosk-services';",
    /api may not import services/,
  ],
  [
    'electron/api: no drivers',
    'electron/api/x.ts',
    "import { SerialTransport } from '../../drivers/transport/serial-transport';",
    /api may not import drivers/,
  ],
  [
    'the contract takes of the platform contract only the remote-help wire',
    'electron/api/x.ts',
    "import { applicationSubmissionSchema } from '../../platform/contract/api-schemas';\nexport const y = applicationSubmissionSchema;",
    /api may not import platform-contract/,
  ],
  ['electron/api: zod only', 'electron/api/x.ts', "import pino from 'pino';", /zod .* only/],
  [
    'services do not import the host',
    'electron/services/x.ts',
    "import { startBrowserHost } from '../host/browser-host';",
    /services may not import host/,
  ],
  [
    'services do not import the shell',
    'electron/services/x.ts',
    "import { startKioskShell } from '../shell/kiosk-shell';",
    /services may not import shell/,
  ],
  [
    'services do not import the cli',
    'electron/services/x.ts',
    "import { runCli } from '../cli/main';",
    /services may not import cli/,
  ],
  [
    'services do not import the renderer',
    'electron/services/x.ts',
    "import { App } from '../../renderer/app';",
    /services may not import renderer/,
  ],
  [
    'only platform-link embeds the platform',
    'electron/services/journey/x.ts',
    "import { startPlatform } from '../../../platform/server/start-platform';",
    /services may not import platform-server/,
  ],
  [
    'the host does not import the shell',
    'electron/host/x.ts',
    "import { startKioskShell } from '../shell/kiosk-shell';",
    /host may not import shell/,
  ],
  [
    'only the shell imports electron',
    'electron/services/x.ts',
    "import { app } from 'electron';",
    /Only electron\/shell\/ may import electron/,
  ],
  [
    'the renderer imports the contract as types only',
    'renderer/x.ts',
    "import { methods } from '../electron/api/contract';",
    /types only/,
  ],
  [
    'the renderer imports the configuration as types only',
    'renderer/x.ts',
    "import { defaultConfig } from '../kiosk-config/default-config';",
    /types only/,
  ],
  [
    'the renderer imports no driver',
    'renderer/x.ts',
    "import type { IdCard } from '../drivers/id-card/id-card-text';",
    /renderer may not import drivers/,
  ],
  [
    'the renderer imports no service',
    'renderer/x.ts',
    "import type { KioskServices } from '../electron/services/kiosk-services';",
    /renderer may not import services/,
  ],
  [
    'the renderer imports no Node',
    'renderer/x.ts',
    "import { readFileSync } from 'node:fs';",
    /No Node in the renderer/,
  ],
  [
    'the renderer imports no Electron',
    'renderer/x.ts',
    "import { ipcRenderer } from 'electron';",
    /Only electron\/shell\/ may import electron/,
  ],
  [
    'the renderer uses only browser-safe foundation',
    'renderer/x.ts',
    "import { recordingLog } from '../foundation/log';",
    /foundation\/result, foundation\/local-time, foundation\/remote-help-peer and foundation\/call-link only/,
  ],
  [
    'the hall page script imports no platform server code',
    'platform/hall-page/x.ts',
    "import { escapeHtml } from '../server/html';",
    /hall-page may not import platform-server/,
  ],
  [
    'the hall page script imports no package',
    'platform/hall-page/x.ts',
    "import { z } from 'zod';",
    /browser script: no package/,
  ],
  [
    'the hall page script uses only the peer messages of foundation',
    'platform/hall-page/x.ts',
    "import { recordingLog } from '../../foundation/log';",
    /remote-help-peer and foundation\/call-link only/,
  ],
];

const allowed: ReadonlyArray<readonly [string, string, string]> = [
  ['drivers use foundation', 'drivers/x.ts', "import { ok } from '../foundation/result';\nexport const y = ok;"],
  [
    'services use drivers, the contract and configuration',
    'electron/services/x.ts',
    "import { SerialTransport } from '../../drivers/transport/serial-transport';\nimport { methods } from '../api/contract';\nimport { defaultConfig } from '../../kiosk-config/default-config';\nexport const y = [SerialTransport, methods, defaultConfig];",
  ],
  [
    'platform-link starts the embedded platform',
    'electron/services/platform-link.ts',
    "import { startPlatform } from '../../platform/server/start-platform';\nexport const y = startPlatform;",
  ],
  [
    'the renderer reads contract types',
    'renderer/x.ts',
    "import type { MethodName } from '../electron/api/contract';\nimport { assertNever } from '../foundation/result';\nexport type Y = MethodName;\nexport const z = assertNever;",
  ],
  [
    'the hall page script parses peer messages',
    'platform/hall-page/x.ts',
    "import { parsePeerMessage } from '../../foundation/remote-help-peer';\nexport const y = parsePeerMessage;",
  ],
  [
    'the hall page judges the call link with the shared module',
    'platform/hall-page/x.ts',
    "import { linkVerdict } from '../../foundation/call-link';\nexport const y = linkVerdict;",
  ],
  [
    'the renderer judges the call link with the shared module',
    'renderer/x.ts',
    "import { linkVerdict } from '../foundation/call-link';\nexport const y = linkVerdict;",
  ],
  [
    'the contract reuses the remote-help wire shapes',
    'electron/api/x.ts',
    "import { callEventSchema } from '../../platform/contract/remote-help';\nexport const y = callEventSchema;",
  ],
  [
    'the renderer parses remote-help peer messages with the shared module',
    'renderer/x.ts',
    "import { parsePeerMessage } from '../foundation/remote-help-peer';\nexport const y = parsePeerMessage;",
  ],
  [
    'the shell imports electron and the services',
    'electron/shell/x.ts',
    "import { app } from 'electron';\nimport { startKioskServices } from '../services/kiosk-services';\nexport const y = [app, startKioskServices];",
  ],
];

describe('the layer rules (docs/ARCHITECTURE.md) are lint rules', () => {
  it.each(forbidden)('refuses: %s', async (_row, file, source, report) => {
    expect(await problems(file, source)).toEqual([expect.stringMatching(report)]);
  });

  it.each(allowed)('allows: %s', async (_row, file, source) => {
    expect(await problems(file, source)).toEqual([]);
  });
});

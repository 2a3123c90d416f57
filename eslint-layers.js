// The import table of docs/ARCHITECTURE.md as lint rules: which folder may import which. Imports
// are resolved to files (eslint-plugin-boundaries), so a relative path cannot slip past a rule.
// eslint.config.js applies these; test/lint/layer-rules.test.ts proves each forbidden import is reported.
import boundaries from 'eslint-plugin-boundaries';

/** Folders as layers. The first pattern that matches a file names its layer. */
export const layers = [
  { type: 'foundation', pattern: 'foundation' },
  { type: 'kiosk-config', pattern: 'kiosk-config' },
  { type: 'drivers', pattern: 'drivers' },
  { type: 'platform-contract', pattern: 'platform/contract' },
  { type: 'platform-server', pattern: 'platform/server' },
  // The hall pages' browser scripts (bundled into dist/hall by `npm run build`).
  { type: 'hall-page', pattern: 'platform/hall-page' },
  // What is left of platform/: main.ts, the `npm run platform` entry point.
  { type: 'platform-main', pattern: 'platform' },
  { type: 'api', pattern: 'electron/api' },
  { type: 'services', pattern: 'electron/services' },
  { type: 'host', pattern: 'electron/host' },
  { type: 'cli', pattern: 'electron/cli' },
  { type: 'shell', pattern: 'electron/shell' },
  { type: 'renderer', pattern: 'renderer' },
].map((layer) => ({ partialMatch: false, ...layer }));

const may = (from, ...to) => ({
  from: { element: { type: from } },
  allow: { to: { element: { types: { anyOf: to } } } },
});

/**
 * Who may import whom; anything not listed is refused (imports inside one layer are its own
 * business). foundation/ is the leaf; kiosk-config/ imports only foundation/ (its browser-safe URL rules).
 */
export const allowedImports = [
  may('kiosk-config', 'foundation'),
  may('drivers', 'foundation'),
  may('platform-contract', 'foundation'),
  may('platform-server', 'foundation', 'platform-contract', 'kiosk-config'),
  may('platform-main', 'foundation', 'platform-server', 'kiosk-config'),
  // A browser script: of the project, only the dependency-free peer messages (next block).
  may('hall-page', 'foundation'),
  may('api', 'foundation', 'kiosk-config'),
  may('services', 'foundation', 'drivers', 'kiosk-config', 'platform-contract', 'api'),
  // The one service that may start the embedded reference platform in-process.
  {
    from: { file: { categories: 'embeds-platform' } },
    allow: { to: { element: { types: 'platform-server' } } },
  },
  // The remote-help call events cross the bridge as the platform sends them: one definition (zod only).
  {
    from: { element: { type: 'api' } },
    allow: { to: { file: { categories: 'call-wire' } } },
  },
  may('host', 'foundation', 'drivers', 'kiosk-config', 'api', 'services'),
  may('cli', 'foundation', 'drivers', 'kiosk-config', 'platform-contract', 'api', 'services', 'host'),
  // The shell serves the page with the host's content security policy.
  may('shell', 'foundation', 'kiosk-config', 'api', 'services', 'host'),
  // The renderer is a web page: types only from the contract and configuration (next block).
  may('renderer', 'foundation', 'api', 'kiosk-config'),
];

const nodeModules = ['node:*', 'fs', 'path', 'child_process', 'os', 'crypto', 'net', 'http', 'url', 'events'];

/** npm packages and Node modules each layer may not import, and the contract's types-only rule. */
const restrictedModules = [
  {
    files: ['**/*.{ts,tsx}'],
    ignores: ['electron/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only electron/shell/ may import electron.' }] },
      ],
    },
  },
  {
    // Nothing from npm: Node's standard library only.
    files: ['foundation/**'],
    ignores: ['foundation/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!node:|\\.)', message: 'foundation/ imports no npm package.' }] },
      ],
    },
  },
  {
    files: ['kiosk-config/**', 'platform/contract/**', 'electron/api/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|node:crypto$|\\.)',
              message: 'Contracts and configuration are pure: zod (and node:crypto for signatures) only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The page runs these checks too, so they stay free of zod: schemas as types only.
    files: ['kiosk-config/answer-rules.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.)', message: 'answer-rules.ts runs in the page: no package imports.' },
            { regex: '^\\.', allowTypeImports: true, message: 'answer-rules.ts runs in the page: types only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeModules, message: 'No Node in the renderer.' },
            {
              // answer-rules: the catalogue's answer checks, zod-free (next block), shared with the service side.
              group: ['**/electron/api/**', '**/kiosk-config/**', '!**/kiosk-config/answer-rules'],
              allowTypeImports: true,
              message: 'The renderer imports the contract and the configuration as types only (no zod in the page).',
            },
            {
              // remote-help-peer: the data-channel messages, dependency-free, parsed alike by the hall page;
              // call-link: whether the call's link still carries video, judged alike by the hall page.
              group: [
                '**/foundation/**',
                '!**/foundation/result',
                '!**/foundation/local-time',
                '!**/foundation/remote-help-peer',
                '!**/foundation/call-link',
              ],
              message:
                'The renderer may use foundation/result, foundation/local-time, foundation/remote-help-peer and foundation/call-link only (no Node).',
            },
          ],
        },
      ],
    },
  },
];

restrictedModules.push({
  files: ['platform/hall-page/**'],
  ignores: ['platform/hall-page/**/*.test.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: '^(?!\\.)', message: 'The hall page is a browser script: no package, no Node.' },
          {
            group: ['**/foundation/**', '!**/foundation/remote-help-peer', '!**/foundation/call-link'],
            message:
              'The hall page uses foundation/remote-help-peer and foundation/call-link only (dependency-free, browser-safe).',
          },
        ],
      },
    ],
  },
});

export const layerRules = [
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers,
      'boundaries/files': [
        { category: 'embeds-platform', pattern: 'electron/services/platform-link.ts' },
        { category: 'call-wire', pattern: 'platform/contract/remote-help.ts' },
      ],
      'boundaries/root-path': import.meta.dirname,
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message:
            '{{from.element.type}} may not import {{to.element.type}} (docs/ARCHITECTURE.md, "what may import what")',
          policies: allowedImports,
        },
      ],
    },
  },
  {
    // Tests, benchmarks and build scripts reach across layers on purpose.
    files: ['test/**', 'bench/**', 'electron/build.ts', '**/*.test.{ts,tsx}', '**/*.bench.ts'],
    rules: { 'boundaries/dependencies': 'off' },
  },
  ...restrictedModules,
];

// Lint rules that hold the architecture in place (see docs/ARCHITECTURE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electronOnlyInShell = { name: 'electron', message: 'Only electron/shell/ may import electron.' };

const noDefaultExport = {
  selector: 'ExportDefaultDeclaration',
  message: 'Use named exports: one name per thing, greppable everywhere.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'test-results/**',
      '.kiosk-data/**',
      '.fleet-local/**',
      '.fleet-console/**',
      '.kiosk-fleet-data/**',
      'electron/cli/kiosk.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noDefaultExport],
      // Only the shell may touch Electron; everything else runs (and is tested) under plain Node.
      'no-restricted-imports': ['error', { paths: [electronOnlyInShell] }],
    },
  },
  {
    files: ['electron/shell/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The renderer is a web page: no Node, no drivers, no services. It reaches the services only
    // through the typed client (renderer/api/) and may import contract *types* from electron/api/.
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer has no Electron; use the kiosk client.' }],
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'os', 'crypto'], message: 'No Node in the renderer.' },
            {
              group: [
                '**/drivers/**',
                '**/electron/services/**',
                '**/electron/host/**',
                '**/electron/shell/**',
                '**/platform/**',
              ],
              message: 'The renderer talks to services only through renderer/api.',
            },
          ],
        },
      ],
    },
  },
  {
    // The county's side never reaches into the kiosk: a county runs fleet/ on a server of its own.
    files: ['fleet/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'fleet/ runs without the kiosk.' }],
        },
      ],
    },
  },
  {
    // The protocol is pure: what both sides parse with, no transport, no server, no database.
    files: ['fleet/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            {
              group: [
                '**/electron/**',
                '**/renderer/**',
                '**/fleet/broker/**',
                '**/fleet/console/**',
                '**/fleet/simulator/**',
                '**/fleet/cli/**',
                'mqtt',
                'mqtt-packet',
                'fastify',
                'better-sqlite3',
              ],
              message: 'fleet/contract/ is the pure protocol (docs/fleet.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // The terminal's fleet agent speaks the protocol, nothing else of the county's side.
    files: ['electron/services/fleet/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInShell],
          patterns: [
            {
              group: ['**/fleet/console/**', '**/fleet/simulator/**', '**/fleet/cli/**', '**/fleet/broker/**'],
              message: 'The terminal imports only fleet/contract/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['*.config.ts', '*.config.js', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);

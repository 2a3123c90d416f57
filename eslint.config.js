// Lint rules that hold the architecture in place (see docs/ARCHITECTURE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerRules } from './eslint-layers.js';

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
  // Type-aware: a promise nobody awaits (or handles) is a bug, as is one passed where a callback returns nothing.
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noDefaultExport],
      // Methods implementing an async port (and their fakes) may finish synchronously; floating and
      // misused promises, the bugs that matter, are caught above.
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...layerRules,
  {
    // Plain JavaScript (configuration, the CLI's launcher) is not in the TypeScript project.
    files: ['**/*.js', '**/*.mjs', '**/*.d.mts'],
    ...tseslint.configs.disableTypeChecked,
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

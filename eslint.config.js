// Lint rules that hold the architecture in place (see docs/ARCHITECTURE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerRules } from './eslint-layers.js';

const noDefaultExport = {
  selector: 'ExportDefaultDeclaration',
  message: 'Use named exports: one name per thing, greppable everywhere.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', '.kiosk-data/**', 'electron/cli/kiosk.mjs'] },
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
    },
  },
  ...layerRules,
  {
    // Plain JavaScript (configuration, the CLI's launcher) is not in the TypeScript project.
    files: ['**/*.js', '**/*.mjs', '**/*.d.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['*.config.ts', '*.config.js', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);

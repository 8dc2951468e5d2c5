import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import opentill from './scripts/eslint/opentill-plugin.js';

const nodeOnly = ['electron', 'better-sqlite3', 'node-thermal-printer', 'ws', 'axios'];
const electronPaths = [
  {
    name: 'electron',
    message: 'Electron lives in src-main/app only; the core runs in plain Node.',
  },
  {
    name: 'electron-updater',
    message: 'electron-updater needs Electron: the core gets it as an AutoUpdaterLike.',
  },
];
const devOnly = 'printing/dev holds development tools; shipping code does not import them.';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.opentill/**',
      'coverage/**',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
      // A switch over a union names every member (or has a default that says why).
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    // No runtime import cycles among the app's modules (type-only imports do not count).
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    plugins: { opentill },
    rules: { 'opentill/no-import-cycle': 'error' },
  },
  {
    // A feature's *.repo / *.queries files are its own: others go through its service or public
    // module. The composition root (core/) wires features and is exempt.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/core/**', '**/*.test.ts'],
    plugins: { opentill },
    rules: { 'opentill/no-foreign-repo': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-console': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Process boundary: the renderer knows only the shared contract.
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The renderer never touches Node.' },
            {
              group: ['**/src-main/**', '../src-main/*', '../../src-main/*'],
              message: 'The renderer talks to main only through the till API.',
            },
          ],
          paths: nodeOnly.map((name) => ({ name, message: 'Main-process only.' })),
        },
      ],
    },
  },
  {
    // Shared code is pure: zod and itself.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!zod$|\\.\\.?/)', message: 'src-shared imports only zod and itself.' },
            { regex: 'src-(main|renderer)', message: 'src-shared imports only zod and itself.' },
          ],
        },
      ],
    },
  },
  {
    // Only the transport files may touch Electron's IPC objects; shipping code never uses the
    // development printing tools (virtual printer, decoder, PNG).
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronPaths,
          patterns: [{ group: ['**/printing/dev/*', './dev/*'], message: devOnly }],
        },
      ],
    },
  },
  {
    // The platform is beneath every feature: it imports the database connection and the shared
    // contract, never a feature.
    files: ['src-main/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronPaths,
          patterns: [
            {
              regex: '^\\.\\./(?!db/connection$|\\.\\./src-shared/)',
              message: 'src-main/platform imports no feature.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.test.ts', 'src-main/printing/dev/**/*.ts'],
    ignores: ['src-main/app/**'],
    rules: { 'no-restricted-imports': ['error', { paths: electronPaths }] },
  },
  {
    files: [
      'tests/**/*.ts',
      'scripts/**/*.ts',
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/*-cli.ts',
      '**/cli.ts',
    ],
    rules: { 'no-console': 'off' },
  },
);

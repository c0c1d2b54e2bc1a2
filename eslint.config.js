// Lint with layer boundaries (see docs/architecture.md): renderer, shared and the core each import only what their runtime allows.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'stream/*', 'url', 'util', 'worker_threads', 'zlib', 'events', 'readline', 'buffer', 'process', 'timers', 'timers/*', 'dns', 'tls', 'assert'];

function banned(patterns, message) {
  return { patterns: patterns.map((group) => ({ group: [group], message })) };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'bench/out/**', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', banned([...nodeBuiltins, 'electron', '@aws-sdk/*', 'better-sqlite3'],
        'renderer/ talks to the core only through window.ferry: no node, electron, AWS SDK or SQLite imports.')],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', banned([...nodeBuiltins, 'electron', '@aws-sdk/*', 'better-sqlite3', 'react', 'react-dom'],
        'shared/ is pure: no node, DOM, electron, AWS SDK or SQLite imports.')],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname'],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**'],
    rules: {
      'no-restricted-imports': ['error', banned(['electron'],
        'Only the thin Electron shell (electron/main.ts, preload.ts, shell/) may import electron; the core must run under plain Node.')],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);

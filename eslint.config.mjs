// ESLint flat config: typescript-eslint's type-checked recommended rules on the TypeScript sources (types come
// from tsconfig.json through the project service), plain JavaScript rules on the few .js/.mjs/.cjs files, and
// eslint-config-prettier last so that no rule argues with the formatter.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The few globals the JavaScript files use (no `globals` package needed for that).
const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setImmediate: 'readonly',
  queueMicrotask: 'readonly',
  TextEncoder: 'readonly',
  TextDecoder: 'readonly',
  WebAssembly: 'readonly',
  globalThis: 'readonly',
};
const commonJsGlobals = { module: 'writable', require: 'readonly', __dirname: 'readonly', __filename: 'readonly' };
const browserGlobals = { document: 'readonly', window: 'readonly', fetch: 'readonly' };

export default defineConfig(
  {
    // Generated code (Prisma client, GraphQL documents), data and coverage output.
    ignores: ['node_modules/', 'coverage/', '.data/', 'prisma/generated/', 'tests/generated/', 'web/dist/', 'test-output/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // ------------------------------------------------------------------------------------------ TypeScript
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed names are kept on purpose: Express's four-argument error handler, fields dropped by destructuring.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Tests and benchmarks read GraphQL/HTTP responses as plain JSON, typed `any` on purpose (their `Json` aliases
  // carry an eslint-disable for no-explicit-any); the no-unsafe-* rules would only repeat that at every access.
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  // ---------------------------------------------------------------------------------------- JavaScript
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  // Node ES modules: this config and Prisma's offline schema-engine stand-in.
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  // CommonJS configuration files (jest.config.js, .dependency-cruiser.cjs) and preloads (bench/peer/count-sql.cjs).
  {
    files: ['*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
  },
  // The explorer's browser script: a classic script on top of the GraphiQL, React and ReactDOM UMD bundles.
  {
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...browserGlobals, GraphiQL: 'readonly', React: 'readonly', ReactDOM: 'readonly' },
    },
  },

  prettier,
);

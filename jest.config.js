/**
 * Jest runs TypeScript through SWC (no type-checking here; `npm run typecheck` does that).
 * `npm test` wraps jest in scripts/with-database.ts, which provides DATABASE_URL (the embedded server by
 * default) with migrations applied, so every test file can assume a migrated, reachable hub database.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  // The generated Prisma client imports its own modules with `.js` suffixes.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 30000,
  // Before the run: the web pages' build is brought up to date; a machine without Chromium is told once how to
  // enable the browser tests (tests/web/), which then skip.
  globalSetup: '<rootDir>/tests/setup/browser.ts',
  // After every run, the hubs' logs are scanned for personal data (DESIGN §4: none may be logged).
  globalTeardown: '<rootDir>/tests/setup/scan-logs.ts',
  // Test files start their own hub on an ephemeral port; two workers keep the suite within a 2-core budget.
  maxWorkers: 2,
};

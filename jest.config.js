// Native ESM mode: NestJS 12 ships ESM only, which Jest cannot require().
// Two projects: the whole suite (unit + e2e) on SQLite, then the e2e suite
// again on PostgreSQL (test/support/test-database.ts picks the engine).
// Run one of them with `npm test -- --selectProjects sqlite` (or postgres).
const common = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'sqlite', testRegex: '.*\\.(spec|e2e-spec)\\.ts$' },
    {
      ...common,
      displayName: 'postgres',
      testRegex: '.*\\.e2e-spec\\.ts$',
      // Suites where the engine plays no part run once, in the sqlite project:
      // start-up refusing a bad variable, the committed document, the browser.
      testPathIgnorePatterns: [
        '/node_modules/',
        '/test/startup\\.e2e-spec\\.ts$',
        '/test/openapi-drift\\.e2e-spec\\.ts$',
        '/test/swagger-ui\\.browser\\.e2e-spec\\.ts$',
      ],
      setupFiles: ['<rootDir>/test/support/use-postgres.ts'],
    },
  ],
};

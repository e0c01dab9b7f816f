// Three projects:
//  - unit: specs beside the code (no servers);
//  - integration-sqlite / integration-postgres: the cross-process suites in test/, against a real
//    Temporal dev server (started once in globalSetup), a real database and real HTTP.
// The PostgreSQL project needs TEST_POSTGRES_URL; without it that project fails loudly
// unless QUILLFLOW_SKIP_POSTGRES=1 says plainly that it was not run (see test/setup-postgres.ts).
// CommonJS output in Jest: the generated Prisma client's dynamic import() must become require(),
// since Jest's VM has no ESM loader without --experimental-vm-modules.
const tsJest = ['ts-jest', { diagnostics: false, tsconfig: { module: 'commonjs', moduleResolution: 'node10' } }];
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
const integration = (name, setup) => ({
  ...base,
  displayName: name,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e-web/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: [setup],
  testTimeout: 120000,
});

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/', '<rootDir>/web/', '<rootDir>/dist/'],
      testTimeout: 60000,
    },
    integration('integration-sqlite', '<rootDir>/test/setup-sqlite.ts'),
    integration('integration-postgres', '<rootDir>/test/setup-postgres.ts'),
  ],
};

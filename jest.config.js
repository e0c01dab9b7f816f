// Projects:
//  - unit: specs beside the code, and test/architecture (the architecture document's checker);
//  - integration-sqlite / integration-postgres: the cross-process suites in test/, against a real
//    Temporal dev server (started once in globalSetup), a real database, real HTTP and the LLM
//    simulator;
//  - integration-cluster: the suites that exercise Temporal itself (stories, batches, schedules,
//    runs and visibility queries, MCP, crash scenarios) against a real Temporal cluster: four
//    service processes on PostgreSQL (temporal/cluster), with Quillflow's data on PostgreSQL;
//  - e2e-web: headless Chromium against the running platform and the built web app.
// The PostgreSQL and cluster projects run when a server answers at TEST_POSTGRES_URL (default: the local
// socket). When none does, the run says so in a banner; with QUILLFLOW_REQUIRE_POSTGRES=1 (CI)
// it fails instead.
const { Client } = require('pg');

// CommonJS output in Jest: the generated Prisma client's dynamic import() must become require(),
// since Jest's VM has no ESM loader without --experimental-vm-modules.
const tsJest = [
  'ts-jest',
  { diagnostics: false, tsconfig: { module: 'commonjs', moduleResolution: 'node10' } },
];
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
const withServers = {
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
// The crash/fault (test/reliability) and bad-input/secrets (test/security) suites take about
// ten minutes: `npm test` and CI always run them. QUILLFLOW_SKIP_HEAVY_SUITES=1 leaves them out
// for a quick local loop, and such a run says so in a banner (CI refuses the flag).
const skipHeavy = process.env.QUILLFLOW_SKIP_HEAVY_SUITES === '1';
if (skipHeavy && process.env.CI)
  throw new Error('QUILLFLOW_SKIP_HEAVY_SUITES=1 is for local runs only, not CI');
const heavyIgnored = skipHeavy ? ['<rootDir>/test/reliability/', '<rootDir>/test/security/'] : [];
// The PostgreSQL project runs the cross-process suites whose subject depends on the database
// (stories, chats, contexts, costs, audit and batch rows, estimates read from the audit trail,
// NUL bytes and outages, a deploy over live rows); the others (Temporal, HTTP, MCP, logs,
// provider faults and limits, property tests) run once, on SQLite, and on the cluster where
// listed below. A new suite that reads or writes the database belongs in this list.
const onPostgres = [
  'test/story-flow.spec.ts',
  'test/frameworks.spec.ts',
  'test/chat.spec.ts',
  'test/context.spec.ts',
  'test/stories-compat.spec.ts',
  'test/cost.spec.ts',
  'test/audit.spec.ts',
  'test/batch.spec.ts',
  'test/batch-estimate.spec.ts',
  'test/deploy-mid-batch.spec.ts',
  'test/database-outage.spec.ts',
  'test/system.spec.ts',
  'test/web-lists.spec.ts',
  'test/security/bad-input.spec.ts',
  'test/reliability/crash.spec.ts',
].filter((f) => !skipHeavy || !/^test\/(reliability|security)\//.test(f));
// The cross-process suites whose subject is Temporal: they run once more on the cluster.
const onCluster = [
  'test/story-flow.spec.ts',
  'test/batch.spec.ts',
  'test/batch-restart.spec.ts',
  'test/schedules.spec.ts',
  'test/runs.spec.ts',
  'test/mcp.spec.ts',
  'test/temporal-contract.spec.ts',
  'test/cluster/**/*.spec.ts',
  'test/reliability/crash.spec.ts',
].filter((f) => !skipHeavy || !f.startsWith('test/reliability/'));
// test/cluster holds what only the cluster can show (service processes, its CLI, its config).
const clusterOnly = ['<rootDir>/test/cluster/'];
// test/architecture (the architecture document's checker) reads the code and starts no server:
// the unit project runs it, the projects with servers leave it out.
const serverless = 'architecture';
const integration = (name, setup, testMatch = ['<rootDir>/test/**/*.spec.ts']) => ({
  ...base,
  ...withServers,
  displayName: name,
  testMatch,
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/e2e-web/',
    `<rootDir>/test/${serverless}/`,
    ...clusterOnly,
    ...heavyIgnored,
  ],
  setupFiles: [setup],
  testTimeout: 180000,
});

async function postgresReachable(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err.message };
  } finally {
    await client.end().catch(() => {});
  }
}

module.exports = async () => {
  const user = process.env.USER || require('node:os').userInfo().username;
  process.env.TEST_POSTGRES_URL ??= `postgresql://${user}@/postgres?host=/var/run/postgresql`;
  const pg = await postgresReachable(process.env.TEST_POSTGRES_URL);
  if (skipHeavy) {
    console.warn(
      '\nNOT RUN: test/reliability and test/security (QUILLFLOW_SKIP_HEAVY_SUITES=1).\n',
    );
  }
  const projects = [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.spec.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        `<rootDir>/test/(?!${serverless}/)`,
        '<rootDir>/web/',
        '<rootDir>/dist/',
      ],
      testTimeout: 90000,
    },
    integration('integration-sqlite', '<rootDir>/test/setup-sqlite.ts'),
    {
      ...base,
      ...withServers,
      displayName: 'e2e-web',
      testMatch: ['<rootDir>/test/e2e-web/**/*.spec.ts'],
      setupFiles: ['<rootDir>/test/setup-sqlite.ts'],
      testTimeout: 300000,
    },
  ];
  if (pg.ok) {
    projects.push(
      integration(
        'integration-postgres',
        '<rootDir>/test/setup-postgres.ts',
        onPostgres.map((f) => `<rootDir>/${f}`),
      ),
    );
    projects.push({
      ...base,
      displayName: 'integration-cluster',
      globalSetup: '<rootDir>/test/global-setup-cluster.ts',
      globalTeardown: '<rootDir>/test/global-teardown-cluster.ts',
      testMatch: onCluster.map((f) => `<rootDir>/${f}`),
      setupFiles: ['<rootDir>/test/setup-cluster.ts'],
      testTimeout: 180000,
    });
  } else if (process.env.QUILLFLOW_REQUIRE_POSTGRES === '1') {
    throw new Error(
      `PostgreSQL is required (QUILLFLOW_REQUIRE_POSTGRES=1) but not reachable: ${pg.reason}`,
    );
  } else {
    delete process.env.TEST_POSTGRES_URL;
    const bar = '!'.repeat(78);
    console.warn(
      `\n${bar}\nPOSTGRESQL VARIANT NOT RUN: no server at the test URL (${pg.reason}).\n` +
        `Only SQLite on the dev server was tested (no PostgreSQL, no Temporal cluster). Set TEST_POSTGRES_URL to a reachable server to run them.\n${bar}\n`,
    );
  }
  // testTimeout is a global option (ignored inside projects): suites that start servers need it.
  // workerIdleMemoryLimit: the suites run in a worker process that is replaced once it holds more
  // than this after a test file. Run in band (Jest's choice for one worker), the one process grew
  // past Node's 4 GB heap after ~20 minutes of suites and the run died of it (CI, 3 projects).
  // The timing reporter ends every run with each suite's duration and the per-project totals.
  // maxWorkers 2, also on CI's 2 cores: most suites wait on servers, the simulator's latency,
  // retry-after and timeouts, so two overlap well (a whole run used 1.3 of the 2 cores; 19 min
  // against ~28 with Jest's default of one worker there). Suites wait for events, not clocks.
  return {
    projects,
    maxWorkers: 2,
    testTimeout: 180000,
    workerIdleMemoryLimit: '1536MB',
    reporters: ['default', '<rootDir>/test/support/timing-reporter.js'],
  };
};

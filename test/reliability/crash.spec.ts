/**
 * Issue 7, item 1: crash tests with real processes. Each scenario runs a batch through the HTTP
 * API on this suite's own Temporal dev server (SQLite file), its own database, the simulator and
 * a worker CHILD PROCESS, breaks one part while the batch runs, and then requires exactly the
 * expected stories: none lost, none duplicated (also in Temporal: one execution per item), every
 * LLM call a story used audited, story costs equal to the audited calls they used.
 *
 * Every scenario runs once per item mode (RELIABILITY_ITEM_MODES=activity,workflow, the default):
 * the items are runBatchItem activities of the batch, or child story runs, and Temporal's count of
 * item executions is read from the batch's histories or from visibility accordingly.
 *
 * Scenarios (RELIABILITY_SCENARIOS=worker-kill,temporal-restart,db-outage or `all` picks them;
 * by default the SQLite project runs all three, the PostgreSQL project the one that depends
 * on the database, db-outage, and the cluster project worker-kill and history-restart, so CI
 * stays within a few minutes):
 *  - worker-kill: SIGKILL to the worker process 3 times (15%, 40%, 65% of the stories), a new
 *    worker process each time; the batch continues-as-new once on the way. On the cluster a
 *    second worker process runs throughout, as a scaled-out deployment has;
 *  - temporal-restart: the dev server stopped and started again on the same port and file;
 *  - history-restart (cluster): kill -9 of the history service process; the cluster starts it
 *    again, and the shards it owned are picked up from PostgreSQL;
 *  - db-outage: 30 s without the database (SQLite: a BEGIN EXCLUSIVE held by another
 *    connection; PostgreSQL: connections to the test database refused and terminated).
 * Sizes: RELIABILITY_ITEMS (worker-kill, 500), RELIABILITY_RESTART_ITEMS (200),
 * RELIABILITY_OUTAGE_ITEMS (200), RELIABILITY_WINDOW (40), RELIABILITY_DB_OUTAGE_MS (30000).
 */
import Decimal from 'decimal.js';
import { testDatabaseKind } from '../support/platform';
import { onTestCluster } from '../temporal-env';
import { startCrashPlatform, type CrashPlatform } from './support/crash-platform';
import { startOutage } from './support/db-outage';
import {
  envInt,
  RELIABILITY_ITEM_MODES,
  runScenario,
  type ScenarioResult,
} from './support/scenario';

const KILL_ITEMS = envInt('RELIABILITY_ITEMS', 500);
const RESTART_ITEMS = envInt('RELIABILITY_RESTART_ITEMS', 200);
const OUTAGE_ITEMS = envInt('RELIABILITY_OUTAGE_ITEMS', 200);
const WINDOW = envInt('RELIABILITY_WINDOW', 40);
const OUTAGE_MS = envInt('RELIABILITY_DB_OUTAGE_MS', 30_000);
/** One call per item, and a two-node graph with heartbeats (resumed after a kill). */
const FRAMEWORKS = ['semantic_kernel', 'langgraph'];
const SCENARIO_TIMEOUT_MS = 420_000;

const CLUSTER = onTestCluster();
const ALL = CLUSTER
  ? ['worker-kill', 'history-restart', 'db-outage']
  : ['worker-kill', 'temporal-restart', 'db-outage'];
const chosen = process.env.RELIABILITY_SCENARIOS;
const byDefault = CLUSTER
  ? ['worker-kill', 'history-restart']
  : testDatabaseKind() === 'sqlite'
    ? ALL
    : ['db-outage'];
const SCENARIOS = new Set(
  chosen === 'all' ? ALL : chosen ? chosen.split(',').map((s) => s.trim()) : byDefault,
);
// Scenarios not chosen for this database are not registered at all (the banner above names the
// chosen ones), so a run never reports skipped tests.
const scenario = (
  name: string,
): ((title: string, fn: jest.ProvidesCallback, timeout?: number) => void) =>
  SCENARIOS.has(name) ? it : () => undefined;

jest.setTimeout(SCENARIO_TIMEOUT_MS + OUTAGE_MS + 60_000);

/** What every scenario must end with, whatever was broken. */
function expectNothingLostOrDuplicated(r: ScenarioResult): void {
  const items = r.stories.expected;
  expect(r.status).toBe('COMPLETED');
  expect(r.report).toMatchObject({ state: 'completed', total: items, completed: items, failed: 0 });
  expect(r.stories.lostItems).toEqual([]);
  expect(r.stories.stories).toBe(items);
  expect(r.stories.distinctWorkflowIds).toBe(items);
  expect(r.stories.duplicated).toBe(0);
  expect(r.stories.unexpected).toBe(0);
  // Temporal agrees: one story execution per item, every one completed.
  expect(r.executions).toEqual({ total: items, completed: items });
  // Audit: every story has a successful attempt, every call it used is audited, its cost is
  // the cost of those calls; calls paid twice are counted (repaid), never hidden.
  expect(r.audit.storiesWithoutSuccess).toBe(0);
  expect(r.audit.storiesWithUnauditedCalls).toBe(0);
  expect(r.audit.costMismatches).toBe(0);
  expect(r.audit.orphanSuccesses).toBe(0);
  expect(r.audit.ok).toBe(true);
  expect(r.audit.successes).toBe(
    r.stories.rows.reduce((n, s) => n + s.llmCalls, 0) + r.audit.repaidCalls,
  );
  expect(r.audit.successCostUsd.minus(r.audit.repaidCostUsd).equals(r.stories.costUsd)).toBe(true);
  expect(r.audit.errorCostUsd.isZero()).toBe(true);
  // Every row has its final outcome once every story is stored.
  expect(r.audit.pending).toBe(0);
  // The batch's spend is the larger of its stories' cost and the audit trail's sum (which
  // includes calls paid twice): never more than was paid, never less than the stories cost.
  const batchUsd = new Decimal(String(r.report?.costUsd));
  expect(batchUsd.greaterThanOrEqualTo(r.stories.costUsd)).toBe(true);
  expect(batchUsd.lessThanOrEqualTo(r.audit.successCostUsd.plus(r.audit.errorCostUsd))).toBe(true);
  if (r.audit.repaidCalls === 0) expect(batchUsd.equals(r.stories.costUsd)).toBe(true);
}

describe('crash tests (real processes: worker kill -9, Temporal restart, database outage)', () => {
  let p: CrashPlatform;
  beforeAll(async () => {
    console.log(
      `reliability: crash scenarios on ${testDatabaseKind()}${CLUSTER ? ' + Temporal cluster' : ''}: ${[...SCENARIOS].join(', ')} (RELIABILITY_SCENARIOS)`,
    );
    p = await startCrashPlatform({
      name: CLUSTER ? 'crash-cluster' : 'crash',
      env: {
        // In-flight LLM calls of a dead worker are retried after startToClose = timeout + 5 s.
        OPENAI_TIMEOUT: '5',
        WORKER_MAX_CONCURRENT_ACTIVITIES: String(Math.max(50, WINDOW * 2)),
      },
    });
    await p.startWorker();
    if (CLUSTER) await p.startSteadyWorker();
  }, 180_000);
  afterAll(async () => {
    await p?.close();
  });

  // Every scenario in every item mode (RELIABILITY_ITEM_MODES): the same guarantees either way.
  describe.each(RELIABILITY_ITEM_MODES)('%s items', (itemMode) => {
    scenario('worker-kill')(
      `kill -9 the worker 3 times during a ${KILL_ITEMS}-item batch, restarting it each time${CLUSTER ? ', a second worker running throughout' : ''}`,
      async () => {
        const r = await runScenario(p, {
          scenario: 'worker-kill',
          itemMode,
          disruptionName: 'kills',
          items: KILL_ITEMS,
          window: WINDOW,
          frameworks: FRAMEWORKS,
          // The batch hands over to a new run once, between the second and the third kill.
          continueAsNewAfter: Math.ceil(KILL_ITEMS / 2),
          at: [0.15, 0.4, 0.65],
          timeoutMs: SCENARIO_TIMEOUT_MS,
          async disrupt() {
            await p.killWorker();
            const t0 = Date.now();
            await p.startWorker();
            return { signal: 'SIGKILL', restartMs: Date.now() - t0 };
          },
        });
        expect(r.disruptions).toHaveLength(3);
        expect(r.report?.runs).toBeGreaterThanOrEqual(2);
        expectNothingLostOrDuplicated(r);
        // Every answer the provider gave has a row, even those of calls whose worker was killed
        // mid-call (written before the call, marked lost when the retry stored the story).
        expect(r.paidNotAudited).toBeLessThanOrEqual(0);
      },
    );

    // The dev server is stopped and started again on its file; on the cluster, the history
    // service process is killed and the cluster starts it again (p.restartTemporal does either).
    const [restartName, restartTitle] = CLUSTER
      ? [
          'history-restart',
          `kill -9 the Temporal history service during a ${RESTART_ITEMS}-item batch; the cluster starts it again`,
        ]
      : [
          'temporal-restart',
          `restart the Temporal dev server (same database file) during a ${RESTART_ITEMS}-item batch`,
        ];
    scenario(restartName)(restartTitle, async () => {
      const r = await runScenario(p, {
        scenario: restartName,
        itemMode,
        disruptionName: 'restarts',
        items: RESTART_ITEMS,
        window: WINDOW,
        frameworks: FRAMEWORKS,
        at: [0.4],
        timeoutMs: SCENARIO_TIMEOUT_MS,
        async disrupt() {
          const downMs = await p.restartTemporal();
          return { downMs };
        },
      });
      expect(r.disruptions).toHaveLength(1);
      expectNothingLostOrDuplicated(r);
    });

    scenario('db-outage')(
      `a ${OUTAGE_MS / 1000} s database outage during a ${OUTAGE_ITEMS}-item batch`,
      async () => {
        const how =
          testDatabaseKind() === 'sqlite' ? 'sqlite-exclusive-lock' : 'pg-connections-refused';
        const r = await runScenario(p, {
          scenario: 'db-outage',
          itemMode,
          disruptionName: 'outages',
          figures: { outage_s: OUTAGE_MS / 1000, how },
          items: OUTAGE_ITEMS,
          window: WINDOW,
          frameworks: FRAMEWORKS,
          at: [0.3],
          timeoutMs: SCENARIO_TIMEOUT_MS + OUTAGE_MS,
          async disrupt() {
            const outage = await startOutage(p.databaseUrl);
            await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
            const outageMs = await outage.end();
            return { outageMs };
          },
        });
        expect(r.disruptions).toHaveLength(1);
        expectNothingLostOrDuplicated(r);
      },
    );
  });
});

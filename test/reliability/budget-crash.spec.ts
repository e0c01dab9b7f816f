/**
 * Issue 14: a budgeted batch whose worker dies with paid calls it never reported. The cap holds
 * for every first call of an item; the calls paid again after the crash are the overshoot, and
 * the batch says exactly what they cost (the audit trail's figure, not an estimate).
 *
 * How calls get paid twice, on purpose: the worker reaches Temporal through a TCP gate. The gate
 * is held while LLM calls are in flight; they end (the provider answered, the success is
 * audited) but their completions never reach the server. The worker is killed, the gate drops
 * what it held, a new worker starts: Temporal times the activities out and runs them again.
 */
import Decimal from 'decimal.js';
import { http } from '../support/platform';
import { waitFor } from '../support/wait';
import { startCrashPlatform, type CrashPlatform } from './support/crash-platform';
import {
  envInt,
  PRIMARY,
  RELIABILITY_ITEM_MODES,
  runScenario,
  SECONDARY,
} from './support/scenario';

const PAIRS = envInt('RELIABILITY_BUDGET_PAIRS', 60);
const FRAMEWORKS = ['semantic_kernel', 'langgraph'];
const ITEMS = PAIRS * FRAMEWORKS.length;
const WINDOW = 20;
/** Outputs are cut at MAX_TOKENS, so an item's worst case is near what it spends. */
const MAX_TOKENS = 400;

jest.setTimeout(420_000);

describe('budgeted batch through a worker crash (real processes, calls paid twice)', () => {
  let p: CrashPlatform;
  beforeAll(async () => {
    p = await startCrashPlatform({
      name: 'budget-crash',
      workerGate: true,
      env: { MAX_TOKENS: String(MAX_TOKENS), OPENAI_TIMEOUT: '5' },
    });
    await p.startWorker();
  }, 180_000);
  afterAll(async () => {
    await p?.close();
  });

  const pendingCalls = (batchId: string) =>
    p.prisma.llmCallAttempt.count({ where: { batchId, outcome: 'pending' } });

  // In both item modes (RELIABILITY_ITEM_MODES). An item activity stores its story in the attempt
  // that paid for it, so when its completion is lost the next attempt finds the story and counts
  // it: only calls whose item had not stored its story yet (a LangGraph item between its nodes)
  // are paid again, often none. A child run's completion, by contrast, carries the generation.
  it.each(RELIABILITY_ITEM_MODES)(
    '%s items: overshoot = the audited cost of the repeated calls; spent - overshoot <= budget',
    async (itemMode) => {
      // A quarter of what the whole batch is expected to cost: the cap stops it part way.
      const estimate = await http(p.baseUrl, 'POST', '/api/batches', {
        generate: { count: PAIRS, primaryNames: PRIMARY, secondaryNames: SECONDARY },
        frameworks: FRAMEWORKS,
        concurrency: WINDOW,
        dryRun: true,
      });
      expect(estimate.status).toBe(200);
      const budget = new Decimal(String(estimate.body.expected.costUsd))
        .times(0.25)
        .toDecimalPlaces(6);
      const worstPerItem = Decimal.max(
        ...(estimate.body.perFramework as Array<{ worstCasePerItemUsd: string }>).map(
          (f) => f.worstCasePerItemUsd,
        ),
      );

      const r = await runScenario(p, {
        scenario: 'budget-worker-kill',
        itemMode,
        disruptionName: 'kills',
        figures: { budget_usd: budget.toFixed(6) },
        items: ITEMS,
        window: WINDOW,
        frameworks: FRAMEWORKS,
        budgetUsd: budget.toFixed(6),
        at: [0.1],
        // Slow answers: while the gate is held, calls of most running items are in flight.
        latencyMs: 400,
        jitterMs: 200,
        timeoutMs: 300_000,
        async disrupt(_i, batchId) {
          const gate = p.gate!;
          // Held while calls are in flight: each of them ends behind the gate. A hold that found
          // none (they all ended in between) is let go as it was, and tried again.
          const inFlight = await waitFor(
            'LLM calls in flight while the gate is held',
            async () => {
              gate.hold();
              const n = await pendingCalls(batchId);
              if (n === 0) gate.resume();
              return n;
            },
            (n) => n > 0,
            { timeoutMs: 30_000, everyMs: 20 },
          );
          // Every call in flight ends (answered and audited); none of their completions gets out.
          await waitFor(
            'the calls in flight to end behind the held gate',
            () => pendingCalls(batchId),
            (n) => n === 0,
            { timeoutMs: 30_000, everyMs: 100 },
          );
          await p.killWorker();
          gate.release();
          await p.startWorker();
          return { inFlightAtHold: inFlight };
        },
      });

      const report = r.report as Record<string, string | number>;
      expect(report).toMatchObject({ state: 'stopped', stopReason: 'budget', failed: 0 });
      // Calls were paid twice (child runs: always here), and the batch says what they cost: the
      // audit trail's own figure.
      if (itemMode === 'workflow') expect(r.audit.repaidCalls).toBeGreaterThan(0);
      expect(report.overshootUsd).toBe(r.audit.repaidCostUsd.toFixed(6));
      const spent = new Decimal(report.costUsd);
      const overshoot = new Decimal(report.overshootUsd);
      expect(spent.equals(r.audit.successCostUsd.plus(r.audit.errorCostUsd))).toBe(true);
      // The cap: what the budget allowed never passes it, and it stopped only when no item fit.
      expect(spent.minus(overshoot).lessThanOrEqualTo(budget)).toBe(true);
      expect(spent.greaterThan(budget.minus(worstPerItem))).toBe(true);
      // Nothing lost or doubled among the items that started; every story's calls audited.
      expect(r.stories.stories).toBe(report.completed);
      expect(r.stories.duplicated).toBe(0);
      expect(r.stories.distinctWorkflowIds).toBe(r.stories.stories);
      expect(r.executions).toEqual({ total: r.stories.stories, completed: r.stories.stories });
      expect(r.audit.ok).toBe(true);
      expect(r.audit.orphanSuccesses).toBe(0);
      // Shown as such by the API as well.
      const detail = await http(p.baseUrl, 'GET', `/api/batches/${r.batchId}`);
      expect(detail.body.progress).toMatchObject({
        overshootUsd: report.overshootUsd,
        costUsd: report.costUsd,
        budgetUsd: budget.toFixed(6),
      });
    },
  );
});

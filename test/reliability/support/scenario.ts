/**
 * One crash scenario: start a batch through the HTTP API, break something while it runs (the
 * `disrupt` callback, called at given fractions of the expected stories), wait for the batch
 * to end and count stories, executions and audit rows. Prints one `reliability:` figures line.
 */
import { BATCH_ITEM_MODES, type BatchItemMode } from '../../../common/batch-items';
import { http } from '../../support/platform';
import { waitFor } from '../../support/wait';
import type { CrashPlatform } from './crash-platform';
import {
  auditLedger,
  itemExecutions,
  storyLedger,
  unfinishedItemExecutions,
  type AuditLedger,
  type StoryLedger,
} from './ledger';

/** Character names of the generated batches (items are their pairs). */
export const PRIMARY = [
  'Ada',
  'Basil',
  'Cora',
  'Dmitri',
  'Elena',
  'Felix',
  'Greta',
  'Hugo',
  'Iris',
  'Jonas',
  'Kira',
  'Lars',
  'Mira',
  'Nils',
  'Olga',
  'Pavel',
  'Quinn',
  'Rosa',
  'Sven',
  'Tove',
  'Ugo',
  'Vera',
  'Wim',
  'Xena',
  'Yuri',
];
export const SECONDARY = [
  'Amber',
  'Brook',
  'Cedar',
  'Dune',
  'Ember',
  'Fern',
  'Glen',
  'Heath',
  'Ivy',
  'Jade',
  'Koa',
  'Linden',
  'Moss',
  'North',
  'Opal',
  'Pine',
  'Quill',
  'Reed',
  'Sage',
  'Thorn',
];

/**
 * The item modes every suite runs its scenarios in (RELIABILITY_ITEM_MODES, default all): the
 * guarantees are the same whether an item is a child run or an activity of the batch.
 */
export const RELIABILITY_ITEM_MODES: BatchItemMode[] = (
  process.env.RELIABILITY_ITEM_MODES ?? BATCH_ITEM_MODES.join(',')
)
  .split(',')
  .map((m) => m.trim())
  .filter((m): m is BatchItemMode => (BATCH_ITEM_MODES as readonly string[]).includes(m));

export const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

export interface ScenarioOptions {
  scenario: string;
  /** How the batch runs its items (common/batch-items.ts). */
  itemMode: BatchItemMode;
  items: number;
  window: number;
  frameworks: string[];
  /** How the figures line names the disruptions: kills, restarts, outages. */
  disruptionName: string;
  /** Extra `key=value` figures for the line. */
  figures?: Record<string, string | number>;
  /** Batch option: a budget cap (USD); such a batch may stop before every item started. */
  budgetUsd?: string;
  /** Batch option: continue-as-new after this many starts (default: the product's). */
  continueAsNewAfter?: number;
  /** Fractions of `items` (stories stored) at which `disrupt` runs, e.g. [0.15, 0.4, 0.65]. */
  at: number[];
  disrupt(index: number, batchId: string): Promise<Record<string, unknown> | void>;
  timeoutMs: number;
  /** Simulator latency for this scenario (default 20 ms + up to 30 ms jitter). */
  latencyMs?: number;
  jitterMs?: number;
}

export interface ScenarioResult {
  batchId: string;
  status: string;
  report: Record<string, unknown> | null;
  stories: StoryLedger;
  audit: AuditLedger;
  executions: { total: number; completed: number };
  seconds: number;
  cpu: { worker: number; temporal: number; test: number };
  disruptions: Array<Record<string, unknown>>;
  billedTokens: number;
  simRequests: number;
  paidNotAudited: number;
  line: string;
}

async function countStories(p: CrashPlatform, batchId: string): Promise<number | undefined> {
  try {
    return await p.prisma.story.count({ where: { batchId } });
  } catch {
    return undefined; // the database is down (outage scenario): ask again later
  }
}

export async function runScenario(p: CrashPlatform, o: ScenarioOptions): Promise<ScenarioResult> {
  const pairs = o.items / o.frameworks.length;
  if (!Number.isInteger(pairs) || pairs > PRIMARY.length * SECONDARY.length)
    throw new Error(`bad item count ${o.items}`);
  p.sim.reset();
  p.sim.setLatency(o.latencyMs ?? 20, o.jitterMs ?? 30);
  const cpu0 = p.cpuSeconds();
  const started = Date.now();
  const res = await http(p.baseUrl, 'POST', '/api/batches', {
    generate: { count: pairs, primaryNames: PRIMARY, secondaryNames: SECONDARY },
    frameworks: o.frameworks,
    concurrency: o.window,
    ...(o.continueAsNewAfter ? { continueAsNewAfter: o.continueAsNewAfter } : {}),
    ...(o.budgetUsd ? { budgetUsd: o.budgetUsd } : {}),
    itemMode: o.itemMode,
    label: `reliability ${o.scenario} (${o.itemMode} items)`,
  });
  if (res.status !== 202)
    throw new Error(`batch not started: ${res.status} ${JSON.stringify(res.body)}`);
  const batchId = res.body.batchId as string;
  try {
    return await observe(p, o, batchId, started, cpu0);
  } catch (err) {
    // Leave nothing running into the next scenario (children are cancelled with the batch).
    await p.temporal.client.workflow
      .getHandle(batchId)
      .terminate('reliability scenario failed')
      .catch(() => undefined);
    throw err;
  }
}

async function observe(
  p: CrashPlatform,
  o: ScenarioOptions,
  batchId: string,
  started: number,
  cpu0: ReturnType<CrashPlatform['cpuSeconds']>,
): Promise<ScenarioResult> {
  // Stories over time, to tell how long each disruption stalled the batch.
  const timeline: Array<[number, number]> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling && Date.now() < started + o.timeoutMs + 60_000) {
      const n = await countStories(p, batchId);
      if (n !== undefined && (timeline.length === 0 || timeline[timeline.length - 1][1] !== n))
        timeline.push([Date.now(), n]);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const disruptions: Array<Record<string, unknown>> = [];
  const disruptedAt: number[] = [];
  for (const [i, fraction] of o.at.entries()) {
    if (!sampling) break;
    const target = Math.floor(o.items * fraction);
    await waitFor(
      `${target} stories before disruption ${i + 1}`,
      () => countStories(p, batchId),
      (n) => n !== undefined && n >= target,
      { timeoutMs: o.timeoutMs, everyMs: 100 },
    ).catch((err: unknown) => {
      sampling = false;
      throw err;
    });
    const t0 = Date.now();
    const atStories = await countStories(p, batchId);
    disruptedAt.push(t0);
    const extra = await o.disrupt(i, batchId);
    disruptions.push({ n: i + 1, atStories, disruptionMs: Date.now() - t0, ...(extra ?? {}) });
  }

  const handle = p.temporal.client.workflow.getHandle(batchId);
  const remaining = Math.max(10_000, o.timeoutMs - (Date.now() - started));
  let timer: NodeJS.Timeout | undefined;
  let watch: NodeJS.Timeout | undefined;
  const report = await Promise.race([
    handle.result() as Promise<Record<string, unknown>>,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`batch ${batchId} not finished after ${o.timeoutMs} ms`)),
        remaining,
      );
      // A worker that crashed would leave the batch waiting out the whole timeout: say so now.
      watch = setInterval(() => {
        const crash = p.workerCrash();
        if (crash !== undefined)
          reject(new Error(`the worker process exited on its own; its last output:\n${crash}`));
      }, 1_000);
    }),
  ]).finally(() => {
    clearTimeout(timer);
    clearInterval(watch);
    sampling = false;
  });
  const seconds = (Date.now() - started) / 1000;
  await sampler;
  // From the start of each disruption to the next story stored after it ended.
  disruptions.forEach((d, i) => {
    const endedAt = disruptedAt[i] + Number(d.disruptionMs);
    const next = timeline.find(([t]) => t > endedAt);
    d.firstStoryAfterEndMs = next ? next[0] - endedAt : null;
  });
  const last = timeline.at(-1)?.[0] ?? Date.now();
  const ninetyNine = timeline.find(([, n]) => n >= Math.ceil(o.items * 0.99))?.[0] ?? last;
  const tailSeconds = (last - ninetyNine) / 1000;
  const description = await handle.describe();

  const stories = await storyLedger(p.prisma, batchId, o.items);
  const audit = await auditLedger(p.prisma, batchId, stories);
  // Items a budget left unstarted have no execution.
  const startedItems = o.items - Number(report.notStarted ?? 0);
  // Visibility lags a little behind the histories.
  const executions = await waitFor(
    'Temporal to show every item execution as closed',
    () => itemExecutions(p.temporal.client, batchId, o.itemMode),
    (e) => e.completed >= startedItems || e.total > startedItems,
    { timeoutMs: 30_000, everyMs: 250 },
  ).catch(async (err: unknown) => {
    const unfinished = await unfinishedItemExecutions(p.temporal.client, batchId, o.itemMode);
    const lostItems = stories.lostItems.slice(0, 5).join(', ');
    throw new Error(
      `${(err as Error).message}\n  not completed: ${unfinished.join('\n    ') || 'none listed'}` +
        `\n  batch report: ${JSON.stringify(report).slice(0, 600)}\n  items without story: ${lostItems || 'none'}`,
    );
  });
  const stats = p.sim.stats();
  const cpu1 = p.cpuSeconds();
  const cpu = {
    worker: cpu1.worker - cpu0.worker,
    temporal: cpu1.temporal - cpu0.temporal,
    test: cpu1.test - cpu0.test,
  };
  const duplicated = stories.duplicated + Math.max(0, executions.total - o.items);
  // Completions the simulator delivered (and a provider would bill) with neither a successful
  // audit row nor a `lost` one (the row written before a call whose worker then died): e.g.
  // (SQLite) an answer the worker read too late, because a locked database stalled its event
  // loop, audited as a timeout. Negative when killed attempts never reached the simulator.
  const paidNotAudited = (stats.byOutcome.ok ?? 0) - audit.successes - audit.lost;
  const line =
    `reliability: scenario=${o.scenario} item_mode=${o.itemMode} db=${p.databaseKind} items=${o.items} ${o.disruptionName}=${disruptions.length} ` +
    Object.entries(o.figures ?? {})
      .map(([k, v]) => `${k}=${v} `)
      .join('') +
    `lost=${stories.lost} duplicated=${duplicated} ` +
    `stories=${stories.stories} distinct_workflow_ids=${stories.distinctWorkflowIds} executions=${executions.total} ` +
    `audit_ok=${audit.ok} audit_attempts=${audit.attempts} audit_success=${audit.successes} audit_lost=${audit.lost} ` +
    `stories_exact=${audit.storiesExact}/${stories.stories} repaid_calls=${audit.repaidCalls} repaid_usd=${audit.repaidCostUsd.toFixed(6)} ` +
    `paid_not_audited=${paidNotAudited} ` +
    `story_usd=${stories.costUsd.toFixed(6)} audit_success_usd=${audit.successCostUsd.toFixed(6)} ` +
    `sim_requests=${stats.requests} batch_status=${description.status.name} batch_runs=${String(report.runs)} ` +
    `window=${o.window} frameworks=${o.frameworks.join('+')} seconds=${seconds.toFixed(1)} last_1pct_s=${tailSeconds.toFixed(1)} ` +
    `cpu_s=worker:${cpu.worker.toFixed(1)},temporal:${cpu.temporal.toFixed(1)},test:${cpu.test.toFixed(1)}`;
  console.log(`${line}\n  ${o.disruptionName}: ${JSON.stringify(disruptions)}`);
  return {
    batchId,
    status: description.status.name,
    report,
    stories,
    audit,
    executions,
    seconds,
    cpu,
    disruptions,
    billedTokens: stats.totalTokens,
    simRequests: stats.requests,
    paidNotAudited,
    line,
  };
}

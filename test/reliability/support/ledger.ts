/**
 * What the reliability suites count after a batch: the stories of the batch against the items
 * it should have made (lost, duplicated), and the audit trail (one row per LLM call attempt)
 * against the stories (every used call audited, calls paid twice, costs counted once).
 */
import type { Client } from '@temporalio/client';
import type { BatchItemMode } from '../../../common/batch-items';
import Decimal from 'decimal.js';
import type { PrismaClient } from '../../../prisma/client';

export interface StoryLedger {
  expected: number;
  stories: number;
  distinctWorkflowIds: number;
  /** Items of the batch (batch/item-n) with no story. */
  lost: number;
  /** Rows beyond one per item: same workflow ID twice, or the same item content twice. */
  duplicated: number;
  /** Stories of the batch whose workflow ID is not one of its items. */
  unexpected: number;
  lostItems: string[];
  costUsd: Decimal;
  totalTokens: number;
  rows: StoryRow[];
}

export interface StoryRow {
  workflowId: string;
  primaryCharacter: string;
  secondaryCharacter: string;
  method: string;
  llmCalls: number;
  estimatedCostUsd: { toString(): string } | null;
  totalTokens: number | null;
}

export async function storyLedger(
  prisma: PrismaClient,
  batchId: string,
  expected: number,
): Promise<StoryLedger> {
  const rows: StoryRow[] = await prisma.story.findMany({
    where: { batchId },
    select: {
      workflowId: true,
      primaryCharacter: true,
      secondaryCharacter: true,
      method: true,
      llmCalls: true,
      estimatedCostUsd: true,
      totalTokens: true,
    },
  });
  const ids = new Set(rows.map((r) => r.workflowId));
  const contents = new Set(
    rows.map((r) => `${r.primaryCharacter}|${r.secondaryCharacter}|${r.method}`),
  );
  const wanted = new Set(Array.from({ length: expected }, (_, n) => `${batchId}/item-${n}`));
  const lostItems = [...wanted].filter((id) => !ids.has(id));
  return {
    expected,
    stories: rows.length,
    distinctWorkflowIds: ids.size,
    lost: lostItems.length,
    duplicated: rows.length - Math.min(ids.size, contents.size),
    unexpected: [...ids].filter((id) => !wanted.has(id)).length,
    lostItems: lostItems.slice(0, 20),
    costUsd: rows.reduce((s, r) => s.plus(r.estimatedCostUsd?.toString() ?? '0'), new Decimal(0)),
    totalTokens: rows.reduce((s, r) => s + (r.totalTokens ?? 0), 0),
    rows,
  };
}

export interface AttemptRow {
  workflowId: string;
  activityId: string;
  activityType: string;
  attempt: number;
  callIndex: number;
  outcome: string;
  costUsd: { toString(): string };
  inputTokens: number;
  outputTokens: number;
  errorType: string | null;
  httpStatus: number | null;
  latencyMs: number;
  createdAt: Date;
}

export interface AuditLedger {
  attempts: number;
  successes: number;
  errors: number;
  /** Rows of attempts that ended without an outcome (worker killed mid-call): billed or not, we cannot know. */
  lost: number;
  /** Rows still waiting for their call's outcome (none once every story is stored). */
  pending: number;
  /** Stories with no successful attempt at all. */
  storiesWithoutSuccess: number;
  /** Stories where some call they used (callIndex 0..llm_calls-1) has no successful audit row. */
  storiesWithUnauditedCalls: number;
  /** Stories whose successful attempts number exactly llm_calls. */
  storiesExact: number;
  /** Successful calls beyond llm_calls: paid for, then discarded because the attempt's result never reached Temporal. */
  repaidCalls: number;
  repaidCostUsd: Decimal;
  /** Stories whose estimated cost differs from the cost of their successful calls, minus re-paid ones. */
  costMismatches: number;
  /** Successful attempts of workflows that have no story. */
  orphanSuccesses: number;
  successCostUsd: Decimal;
  errorCostUsd: Decimal;
  successTokens: number;
  errorTokens: number;
  /** Every check above that must hold in any scenario. */
  ok: boolean;
  rows: AttemptRow[];
}

export async function auditLedger(
  prisma: PrismaClient,
  batchId: string,
  stories: StoryLedger,
): Promise<AuditLedger> {
  const rows: AttemptRow[] = await prisma.llmCallAttempt.findMany({
    where: { batchId },
    select: {
      workflowId: true,
      activityId: true,
      activityType: true,
      attempt: true,
      callIndex: true,
      outcome: true,
      costUsd: true,
      inputTokens: true,
      outputTokens: true,
      errorType: true,
      httpStatus: true,
      latencyMs: true,
      createdAt: true,
    },
    orderBy: { id: 'asc' },
  });
  const byWorkflow = new Map<string, AttemptRow[]>();
  for (const r of rows) {
    if (r.outcome !== 'success') continue;
    const list = byWorkflow.get(r.workflowId) ?? [];
    list.push(r);
    byWorkflow.set(r.workflowId, list);
  }
  const storyIds = new Set(stories.rows.map((s) => s.workflowId));
  let storiesWithoutSuccess = 0;
  let storiesWithUnauditedCalls = 0;
  let storiesExact = 0;
  let repaidCalls = 0;
  let repaidCostUsd = new Decimal(0);
  let costMismatches = 0;
  for (const s of stories.rows) {
    const ok = byWorkflow.get(s.workflowId) ?? [];
    if (ok.length === 0) storiesWithoutSuccess++;
    const indexes = new Set(ok.map((r) => r.callIndex));
    if (Array.from({ length: s.llmCalls }, (_, i) => i).some((i) => !indexes.has(i)))
      storiesWithUnauditedCalls++;
    if (ok.length === s.llmCalls) storiesExact++;
    const paid = ok.reduce((sum, r) => sum.plus(r.costUsd.toString()), new Decimal(0));
    const storyCost = new Decimal(s.estimatedCostUsd?.toString() ?? '0');
    if (ok.length > s.llmCalls) {
      repaidCalls += ok.length - s.llmCalls;
      repaidCostUsd = repaidCostUsd.plus(paid.minus(storyCost));
    } else if (!paid.equals(storyCost)) {
      costMismatches++;
    }
  }
  const successes = rows.filter((r) => r.outcome === 'success');
  const errors = rows.filter((r) => r.outcome !== 'success');
  const sumCost = (list: AttemptRow[]) =>
    list.reduce((s, r) => s.plus(r.costUsd.toString()), new Decimal(0));
  const sumTokens = (list: AttemptRow[]) =>
    list.reduce((s, r) => s + r.inputTokens + r.outputTokens, 0);
  const orphanSuccesses = successes.filter((r) => !storyIds.has(r.workflowId)).length;
  return {
    attempts: rows.length,
    successes: successes.length,
    errors: errors.length,
    lost: rows.filter((r) => r.outcome === 'lost').length,
    pending: rows.filter((r) => r.outcome === 'pending').length,
    storiesWithoutSuccess,
    storiesWithUnauditedCalls,
    storiesExact,
    repaidCalls,
    repaidCostUsd,
    costMismatches,
    orphanSuccesses,
    successCostUsd: sumCost(successes),
    errorCostUsd: sumCost(errors),
    successTokens: sumTokens(successes),
    errorTokens: sumTokens(errors),
    ok: storiesWithoutSuccess === 0 && storiesWithUnauditedCalls === 0 && costMismatches === 0,
    rows,
  };
}

/**
 * Temporal's view: story executions of the batch by status (visibility is eventually
 * consistent, so poll until `expected` are closed). More executions than items would mean an
 * item was generated twice.
 */
export async function storyExecutions(
  client: Client,
  batchId: string,
): Promise<{ total: number; completed: number }> {
  const q = `BatchId = "${batchId}" AND WorkflowType = "storyWorkflow"`;
  const [total, completed] = await Promise.all([
    client.workflow.count(q),
    client.workflow.count(`${q} AND ExecutionStatus = "Completed"`),
  ]);
  return { total: total.count, completed: completed.count };
}

/**
 * For a failure message: the batch's story executions that did not complete, with status and
 * the last failure in their history, so a CI log says why rather than only how many.
 */
export async function unfinishedStoryExecutions(
  client: Client,
  batchId: string,
  limit = 5,
): Promise<string[]> {
  const q = `BatchId = "${batchId}" AND WorkflowType = "storyWorkflow" AND ExecutionStatus != "Completed"`;
  const out: string[] = [];
  for await (const e of client.workflow.list({ query: q })) {
    if (out.length >= limit) break;
    const history = await client.workflow
      .getHandle(e.workflowId, e.runId)
      .fetchHistory()
      .catch(() => undefined);
    const failures = (history?.events ?? [])
      .map(
        (ev) =>
          ev.activityTaskFailedEventAttributes?.failure ??
          ev.workflowExecutionFailedEventAttributes?.failure ??
          ev.workflowTaskFailedEventAttributes?.failure ??
          ev.activityTaskTimedOutEventAttributes?.failure,
      )
      .filter((f) => f != null);
    const lastFailure = failures.at(-1);
    out.push(
      `${e.workflowId} ${e.status.name} events=${history?.events?.length ?? '?'}` +
        (lastFailure ? ` last failure: ${String(lastFailure.message).slice(0, 300)}` : ''),
    );
  }
  return out;
}

/** The runBatchItem activity's type name (`activity` mode). */
const ITEM_ACTIVITY = 'runBatchItem';

type HistoryEvent = NonNullable<
  Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']
>[number];

/** Every event of every run of the batch (continue-as-new, reopen), run by run. */
async function batchRunEvents(client: Client, batchId: string): Promise<HistoryEvent[][]> {
  const out: HistoryEvent[][] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = "${batchId}"` })) {
    const h = await client.workflow.getHandle(batchId, run.runId).fetchHistory();
    out.push(h.events ?? []);
  }
  return out;
}

/** The item activities of one run's history: scheduled, and how each one closed (if it did). */
function itemActivities(events: HistoryEvent[]): { activityId: string; closed?: HistoryEvent }[] {
  const byScheduled = new Map<string, { activityId: string; closed?: HistoryEvent }>();
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s?.activityType?.name === ITEM_ACTIVITY)
      byScheduled.set(String(e.eventId), { activityId: s.activityId ?? '' });
    const c =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    const item = c && byScheduled.get(String(c.scheduledEventId));
    if (item) item.closed = e;
  }
  return [...byScheduled.values()];
}

/**
 * Temporal's count of the batch's item executions, whatever the mode: story child runs
 * (`workflow`), or runBatchItem activities in the batch's histories (`activity`; one per
 * schedule, its retries being attempts of it). Either way, one per item that started.
 */
export async function itemExecutions(
  client: Client,
  batchId: string,
  mode: BatchItemMode,
): Promise<{ total: number; completed: number }> {
  if (mode === 'workflow') return storyExecutions(client, batchId);
  const items = (await batchRunEvents(client, batchId)).flatMap(itemActivities);
  return {
    total: items.length,
    completed: items.filter((i) => i.closed?.activityTaskCompletedEventAttributes).length,
  };
}

/** For a failure message: item executions that did not complete, with their last failure. */
export async function unfinishedItemExecutions(
  client: Client,
  batchId: string,
  mode: BatchItemMode,
  limit = 5,
): Promise<string[]> {
  if (mode === 'workflow') return unfinishedStoryExecutions(client, batchId, limit);
  const items = (await batchRunEvents(client, batchId)).flatMap(itemActivities);
  return items
    .filter((i) => !i.closed?.activityTaskCompletedEventAttributes)
    .slice(0, limit)
    .map((i) => {
      const failure =
        i.closed?.activityTaskFailedEventAttributes?.failure ??
        i.closed?.activityTaskTimedOutEventAttributes?.failure;
      return `${batchId} ${i.activityId} ${i.closed ? 'closed' : 'open'}${failure ? ` last failure: ${String(failure.message).slice(0, 300)}` : ''}`;
    });
}

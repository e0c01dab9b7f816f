import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { parseItemWorkflowId } from '../../common/batch-items';
import type { AppConfig } from '../../common/config';
import { addUsd, usd } from '../../common/money';
import type {
  AuditedCost,
  RunCancelRequested,
  RunDetail,
  RunHistory,
  RunList,
  RunRerun,
  RunSummary,
  RunTerminated,
} from '../../common/schemas/run-responses';
import type { PrismaClient } from '../../prisma/client';
import { BatchesService } from '../batches/batches.service';
import { parseSpec, specSummary } from '../batches/batch.serializers';
import { ApiError } from '../http/api-error';
import { CONFIG, PRISMA, TEMPORAL } from '../core/tokens';
import { summarizeFailure } from '../core/workflow-errors';
import { StoriesService } from '../stories/stories.service';
import { ClosedRunCache, hasFinalOutcome, isOpenStatus } from './closed-run-cache';
import { buildTimeline } from './history-timeline';
import { pendingActivityStateName } from './pending-activity-state';
import { buildVisibilityQuery, type RunFilters } from './visibility-query';
import { temporalSetupProblemOf } from '../../temporal/namespace-contract';
import { decodeArrayFromPayloads, executionInfoFromRaw } from '../../temporal/sdk-internals';
import type { BatchWorkflowInput } from '../../workflows/batch.definitions';
import { batchWorkflow } from '../../workflows/batch.workflow';
import { RUN_ID_REGEX } from '../../common/schemas/run-id';
import type { StoryWorkflowInput } from '../../workflows/story.definitions';
import { storyWorkflow } from '../../workflows/story.workflow';
import {
  assertRunning,
  describeOr404,
  invalidArgument,
  isInvalidArgument,
  isNotFound,
  whileRunning,
} from './workflow-lookup';

/** How long a closed run's description is reused by GET /api/runs/:id (describeLatest). */
export const RUN_DESCRIBE_REUSE_MS = 1_000;
/** Past RUN_DESCRIBE_REUSE_MS and up to this age it is still answered while a refresh runs. */
export const RUN_DESCRIBE_STALE_LIMIT_MS = 3_000;

/** Attempt rows listed with a run; totals always cover all of them. */
const MAX_ATTEMPTS_LISTED = 500;

const runLinks = (workflowId: string) => {
  const id = encodeURIComponent(workflowId);
  return { self: `/api/runs/${id}`, history: `/api/runs/${id}/history` };
};

function searchAttributesOf(
  info: Pick<WorkflowExecutionInfo, 'typedSearchAttributes'>,
): RunSummary['searchAttributes'] {
  return Object.fromEntries(
    info.typedSearchAttributes
      .getAll()
      .map((p) => [p.key.name, p.value instanceof Date ? p.value.toISOString() : p.value]),
  );
}

/** What an operator needs to recognise a run's input, without its bulk (lists of pairs, prompts). */
export function summarizeInput(
  workflowType: string,
  input: unknown,
): Record<string, unknown> | null {
  if (!input || typeof input !== 'object') return null;
  if (workflowType === storyWorkflow.name) {
    const s = input as StoryWorkflowInput;
    return {
      framework: s.framework,
      primaryCharacter: s.primaryCharacter,
      secondaryCharacter: s.secondaryCharacter,
      origin: s.origin,
      batchId: s.batchId ?? null,
      correlationId: s.correlationId,
    };
  }
  if (workflowType === batchWorkflow.name) {
    const b = input as BatchWorkflowInput;
    return {
      ...specSummary(b.spec),
      origin: b.origin,
      correlationId: b.correlationId,
      carriedOver: b.resume
        ? {
            cursor: b.resume.cursor,
            completed: b.resume.completed,
            runsBefore: b.resume.runs,
            reopened: Boolean(b.resume.reopen),
          }
        : null,
    };
  }
  // Other workflows: scalar fields only, long text cut short.
  return Object.fromEntries(
    Object.entries(input as Record<string, unknown>)
      .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
      .map(([k, v]) => [k, typeof v === 'string' && v.length > 120 ? `${v.slice(0, 120)}...` : v]),
  );
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

@Injectable()
export class RunsService {
  /** What GET /api/runs/:id and /history answer for closed runs (closed-run-cache.ts). */
  readonly closedRuns: ClosedRunCache;
  /** Descriptions of closed runs, reused for RUN_DESCRIBE_REUSE_MS (closed-run-cache.ts). */
  readonly closedDescriptions: ClosedRunCache;
  /** Workflow IDs whose closed description is being refreshed behind a reused one. */
  private readonly refreshing = new Set<string>();

  constructor(
    @Inject(TEMPORAL) private readonly client: Client,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly stories: StoriesService,
    private readonly batches: BatchesService,
    @Inject(CONFIG) config: AppConfig,
  ) {
    this.closedRuns = new ClosedRunCache(
      config.env.RUN_CACHE_MAX_ENTRIES,
      config.env.RUN_CACHE_TTL_SECONDS * 1000,
    );
    this.closedDescriptions = new ClosedRunCache(
      config.env.RUN_CACHE_MAX_ENTRIES,
      RUN_DESCRIBE_STALE_LIMIT_MS,
    );
  }

  private get namespace(): string {
    return this.client.options.namespace;
  }

  /** One page of runs matching the filters, newest first, straight from Temporal visibility. */
  async list(f: RunFilters): Promise<RunList> {
    const query = buildVisibilityQuery(f);
    const badToken = () =>
      new ApiError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'ValidationError',
        'nextPageToken is not a token this API returned',
        'VALIDATION_ERROR',
      );
    // Temporal's visibility tokens are JSON objects; anything else would only be refused after
    // the client's retries (some 20 s), so it is refused here at once.
    if (
      f.nextPageToken &&
      !isJsonObject(Buffer.from(f.nextPageToken, 'base64url').toString('utf8'))
    )
      throw badToken();
    let res;
    try {
      res = await this.client.workflowService.listWorkflowExecutions({
        namespace: this.namespace,
        query,
        pageSize: f.pageSize,
        nextPageToken: f.nextPageToken ? Buffer.from(f.nextPageToken, 'base64url') : undefined,
      });
    } catch (err) {
      // Temporal answers a token it did not issue with UNKNOWN (2) or INVALID_ARGUMENT (3).
      if (f.nextPageToken && [2, 3].includes((err as { code?: number }).code ?? -1))
        throw badToken();
      // A filter on an attribute the namespace lacks is not the caller's mistake: the error
      // filter answers 503 TemporalNotSetUp with the fix.
      if ((err as { code?: number }).code === 3 && !temporalSetupProblemOf(err)) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'InvalidRunQuery',
          `Temporal refused the query: ${(err as Error).message}`,
        );
      }
      throw err;
    }
    const conv = this.client.options.loadedDataConverter;
    const infos = await Promise.all(
      res.executions.map((raw) => executionInfoFromRaw(raw, conv, raw, this.namespace)),
    );
    const token = res.nextPageToken?.length
      ? Buffer.from(res.nextPageToken).toString('base64url')
      : null;
    const audited = await this.auditTotalsByRun(infos.map((i) => i.workflowId));
    return {
      query,
      runs: infos.map((i) => ({
        workflowId: i.workflowId,
        runId: i.runId,
        type: i.type,
        status: i.status.name,
        taskQueue: i.taskQueue,
        startTime: i.startTime.toISOString(),
        closeTime: i.closeTime?.toISOString() ?? null,
        historyLength: i.historyLength,
        parentWorkflowId: i.parentExecution?.workflowId ?? null,
        searchAttributes: searchAttributesOf(i),
        ...(audited.has(i.workflowId) ? { audited: audited.get(i.workflowId) } : {}),
        links: runLinks(i.workflowId),
      })),
      nextPageToken: token,
    };
  }

  /** Input of a run, decoded from its first history event. */
  async input(workflowId: string, runId?: string): Promise<unknown> {
    const res = await this.client.workflowService.getWorkflowExecutionHistory({
      namespace: this.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 1,
    });
    const payloads =
      res.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
    const [first] = await decodeArrayFromPayloads(
      this.client.options.loadedDataConverter,
      payloads,
    );
    return first;
  }

  /**
   * Status, result, cost and attempts of a workflow ID's current run. The describe says which
   * run is current and whether it is still open (live, or a closed run's for at most
   * RUN_DESCRIBE_REUSE_MS); the rest of a closed run's answer comes from the closed-run cache.
   */
  async describe(workflowId: string): Promise<RunDetail> {
    const d = await this.describeLatest(workflowId);
    if (isOpenStatus(d.status.name)) return this.describeRun(d);
    return this.closedRuns.getOrCompute(`describe\u0000${workflowId}\u0000${d.runId}`, () =>
      this.describeRun(d),
    );
  }

  /**
   * The workflow ID's latest run, described live, except that a CLOSED run's description is
   * reused for RUN_DESCRIBE_REUSE_MS: under load (200 req/s of one run, or a batch keeping
   * Temporal busy) the describe was most of the request's wait. Only a new run under the same
   * ID (a retried batch item, a reset, a re-opened batch) can change it. Up to
   * RUN_DESCRIBE_STALE_LIMIT_MS the reused one is answered while one refresh runs behind it, so
   * no reader waits for the describe once a second (that wait was P4's p99); a new run shows
   * within about RUN_DESCRIBE_REUSE_MS under load, and within the limit at most. An open run is
   * always described live.
   */
  private async describeLatest(workflowId: string): Promise<WorkflowExecutionDescription> {
    const reused = this.closedDescriptions.peek<WorkflowExecutionDescription>(workflowId);
    if (!reused) return this.describeAndRemember(workflowId);
    if (reused.ageMs >= RUN_DESCRIBE_REUSE_MS && !this.refreshing.has(workflowId)) {
      this.refreshing.add(workflowId);
      // A failed refresh (the run was deleted, Temporal is down) drops the entry: the next
      // reader describes live and gets the error itself.
      void this.describeAndRemember(workflowId)
        .catch(() => this.closedDescriptions.delete(workflowId))
        .finally(() => this.refreshing.delete(workflowId));
    }
    return reused.value;
  }

  private async describeAndRemember(workflowId: string): Promise<WorkflowExecutionDescription> {
    const d = await this.describeOrExplain(workflowId);
    if (isOpenStatus(d.status.name)) this.closedDescriptions.delete(workflowId);
    else this.closedDescriptions.put(workflowId, d);
    return d;
  }

  /**
   * describeOr404, whose 404 for an item of an `activity`-mode batch says where the item is: it
   * ran inside the batch's run and has no run of its own (its story and audit rows keep its key).
   */
  private async describeOrExplain(workflowId: string): Promise<WorkflowExecutionDescription> {
    try {
      return await describeOr404(this.client, workflowId);
    } catch (err) {
      const item = err instanceof ApiError ? parseItemWorkflowId(workflowId) : null;
      if (!item) throw err;
      const batch = await this.prisma.batch.findUnique({
        where: { id: item.batchId },
        select: { spec: true },
      });
      if (!batch || parseSpec(batch).itemMode !== 'activity') throw err;
      const audit = `/api/audit?workflowId=${encodeURIComponent(workflowId)}`;
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'NotFound',
        `Item ${item.index} of batch ${item.batchId} ran as an activity of the batch's run, not as a run of its own: see /api/runs/${encodeURIComponent(item.batchId)} for the run and ${audit} for its attempts and cost`,
        'BATCH_ITEM_ACTIVITY',
      );
    }
  }

  private async describeRun(d: WorkflowExecutionDescription): Promise<RunDetail> {
    const workflowId = d.workflowId;
    const handle = this.client.workflow.getHandle(workflowId, d.runId);
    const status = d.status.name;
    let result: unknown;
    let failure: ReturnType<typeof summarizeFailure> | undefined;
    if (status === 'COMPLETED') result = await handle.result();
    else if (hasFinalOutcome(status)) {
      try {
        await handle.result();
      } catch (err) {
        failure = summarizeFailure(err);
      }
    }
    const [attempts, totals, input] = await Promise.all([
      this.prisma.llmCallAttempt.findMany({
        where: { workflowId },
        orderBy: { id: 'asc' },
        take: MAX_ATTEMPTS_LISTED,
      }),
      this.auditTotals(d.type === batchWorkflow.name ? { batchId: workflowId } : { workflowId }),
      this.input(workflowId, d.runId).catch(() => undefined),
    ]);
    const sa = searchAttributesOf(d);
    const resultCost = (result as { costUsd?: unknown } | undefined)?.costUsd;
    return {
      workflowId: d.workflowId,
      runId: d.runId,
      type: d.type,
      status,
      taskQueue: d.taskQueue,
      startTime: d.startTime.toISOString(),
      closeTime: d.closeTime?.toISOString() ?? null,
      historyLength: d.historyLength,
      parentWorkflowId: d.parentExecution?.workflowId ?? null,
      searchAttributes: sa,
      memo: d.memo ?? {},
      summary: await d.staticSummary().catch(() => undefined),
      input: summarizeInput(d.type, input),
      result,
      failure,
      cost: {
        costUsd:
          typeof resultCost === 'string'
            ? resultCost
            : typeof sa.CostUsd === 'number'
              ? sa.CostUsd.toFixed(6)
              : null,
        totalTokens:
          (result as { totalTokens?: number } | undefined)?.totalTokens ??
          (sa.TotalTokens as number | undefined) ??
          null,
        audited: totals,
      },
      pendingActivities: d.raw.pendingActivities?.map((a) => ({
        activityType: a.activityType?.name,
        attempt: a.attempt,
        state: pendingActivityStateName(a.state),
        lastFailure: a.lastFailure?.message,
      })),
      attempts: attempts.map((a) => ({
        activityId: a.activityId,
        activityType: a.activityType,
        attempt: a.attempt,
        step: a.step,
        outcome: a.outcome,
        httpStatus: a.httpStatus,
        errorType: a.errorType,
        errorMessage: a.errorMessage,
        inputTokens: a.inputTokens,
        outputTokens: a.outputTokens,
        costUsd: usd(a.costUsd.toString()),
        latencyMs: a.latencyMs,
        createdAt: a.createdAt.toISOString(),
      })),
      attemptCount: totals.attempts,
      links: runLinks(workflowId),
    };
  }

  /** The run's history as a readable timeline, with each activity's audited LLM attempts. */
  async history(workflowId: string, o: { runId?: string; verbose?: boolean }): Promise<RunHistory> {
    const d = await this.describeOrExplain(workflowId);
    const runId = o.runId ?? d.runId;
    // Another run than the current one has closed (a newer run exists); the current one may be open.
    const closed = runId !== d.runId || !isOpenStatus(d.status.name);
    const timeline = closed
      ? await this.closedRuns.getOrCompute(
          `history\u0000${workflowId}\u0000${runId}\u0000${Boolean(o.verbose)}`,
          () => this.historyOf(workflowId, runId, o.verbose),
        )
      : await this.historyOf(workflowId, runId, o.verbose);
    return {
      workflowId,
      runId,
      type: d.type,
      status: runId === d.runId ? d.status.name : null,
      ...timeline,
    };
  }

  private async historyOf(workflowId: string, runId: string, verbose?: boolean) {
    let history;
    try {
      history = await this.client.workflow.getHandle(workflowId, runId).fetchHistory();
    } catch (err) {
      if (isNotFound(err)) throw new ApiError(HttpStatus.NOT_FOUND, 'NotFound', 'Run not found');
      // The run ID passed our UUID check, yet a server on SQL persistence (the PostgreSQL
      // cluster) answers INVALID_ARGUMENT for a well-formed ID it has no run for: a 404 too.
      if (isInvalidArgument(err) && RUN_ID_REGEX.test(runId))
        throw new ApiError(HttpStatus.NOT_FOUND, 'NotFound', 'Run not found');
      if (isInvalidArgument(err)) throw invalidArgument('query -> runId', err);
      throw err;
    }
    const timeline = buildTimeline(history.events ?? [], { verbose });
    const attempts = await this.prisma.llmCallAttempt.findMany({
      where: { workflowId, runId },
      orderBy: [{ activityId: 'asc' }, { attempt: 'asc' }, { callIndex: 'asc' }],
      select: {
        activityId: true,
        attempt: true,
        callIndex: true,
        step: true,
        outcome: true,
        errorType: true,
        errorMessage: true,
        latencyMs: true,
        costUsd: true,
        createdAt: true,
      },
    });
    return {
      ...timeline,
      activities: timeline.activities.map((a) => ({
        ...a,
        llmAttempts: attempts
          .filter((x) => x.activityId === a.activityId)
          .map((x) => ({
            ...x,
            costUsd: usd(x.costUsd.toString()),
            createdAt: x.createdAt.toISOString(),
          })),
      })),
    };
  }

  async cancel(workflowId: string): Promise<RunCancelRequested> {
    const d = await describeOr404(this.client, workflowId);
    assertRunning(d, 'cancel the run');
    await whileRunning('cancel the run', 'run', () =>
      this.client.workflow.getHandle(workflowId).cancel(),
    );
    this.batches.forgetLive(workflowId);
    return { workflowId, runId: d.runId, status: 'CANCEL_REQUESTED', links: runLinks(workflowId) };
  }

  async terminate(workflowId: string, reason: string): Promise<RunTerminated> {
    const d = await describeOr404(this.client, workflowId);
    assertRunning(d, 'terminate the run');
    await whileRunning('terminate the run', 'run', () =>
      this.client.workflow.getHandle(workflowId).terminate(reason),
    );
    // A batch's detail reuses its description briefly; after this it must be read live.
    this.batches.forgetLive(workflowId);
    return {
      workflowId,
      runId: d.runId,
      status: 'TERMINATED',
      reason,
      links: runLinks(workflowId),
    };
  }

  /** A new run with the same input: stories and batches go through their own services. */
  async rerun(workflowId: string): Promise<RunRerun> {
    const d = await describeOr404(this.client, workflowId);
    const input = await this.input(workflowId, d.runId);
    if (d.type === storyWorkflow.name) {
      const s = input as StoryWorkflowInput;
      const started = await this.stories.start({
        primaryCharacter: s.primaryCharacter,
        secondaryCharacter: s.secondaryCharacter,
        framework: s.framework,
      });
      return {
        rerunOf: workflowId,
        workflowId: started.workflowId,
        runId: started.runId,
        status: 'RUNNING',
        links: runLinks(started.workflowId),
      };
    }
    if (d.type === batchWorkflow.name) {
      const b = input as BatchWorkflowInput;
      const started = await this.batches.startSpec(b.spec, { origin: 'api' });
      return {
        rerunOf: workflowId,
        workflowId: started.workflowId,
        runId: started.runId,
        status: 'RUNNING',
        links: runLinks(started.workflowId),
      };
    }
    throw new ApiError(
      HttpStatus.CONFLICT,
      'RerunNotSupported',
      `Runs of ${d.type} cannot be re-run from here; use their own endpoint`,
    );
  }

  /**
   * The audit totals of each listed run that made LLM calls itself, in two grouped queries for
   * the page: a chat has no cost search attributes, yet the list should say what it spent.
   */
  private async auditTotalsByRun(workflowIds: string[]): Promise<Map<string, AuditedCost>> {
    if (workflowIds.length === 0) return new Map();
    const where = { workflowId: { in: [...new Set(workflowIds)] } };
    const [all, errors] = await Promise.all([
      this.prisma.llmCallAttempt.groupBy({
        by: ['workflowId'],
        where,
        _count: { _all: true },
        _sum: { costUsd: true, totalTokens: true },
      }),
      this.prisma.llmCallAttempt.groupBy({
        by: ['workflowId'],
        where: { ...where, outcome: 'error' },
        _count: { _all: true },
      }),
    ]);
    const failed = new Map(errors.map((e) => [e.workflowId, e._count._all]));
    return new Map(
      all.map((a) => [
        a.workflowId,
        {
          attempts: a._count._all,
          errors: failed.get(a.workflowId) ?? 0,
          totalTokens: a._sum.totalTokens ?? 0,
          costUsd: addUsd(a._sum.costUsd?.toString() ?? 0),
        },
      ]),
    );
  }

  private async auditTotals(where: { workflowId: string } | { batchId: string }) {
    const [all, errors] = await Promise.all([
      this.prisma.llmCallAttempt.aggregate({
        where,
        _count: { _all: true },
        _sum: { costUsd: true, totalTokens: true },
      }),
      this.prisma.llmCallAttempt.count({ where: { ...where, outcome: 'error' } }),
    ]);
    return {
      attempts: all._count._all,
      errors,
      totalTokens: all._sum.totalTokens ?? 0,
      costUsd: addUsd(all._sum.costUsd?.toString() ?? 0),
    };
  }
}

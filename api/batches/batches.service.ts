import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  type Client,
  isGrpcDeadlineError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionDescription,
  type WorkflowExecutionStatusName,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  ApplicationFailure,
  type SearchAttributePair,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import { batchSize, type BatchSpec } from '../../common/batch-items';
import type { BatchCarry, BatchProgress, FailedItemDetail } from '../../common/batch-types';
import type { AppConfig } from '../../common/config';
import { usd } from '../../common/money';
import type { Origin } from '../../common/origins';
import { toBatchSpec, type BatchRequest } from '../../common/schemas/batch';
import type { BatchEstimate } from '../../common/schemas/batch-estimate-responses';
import type {
  BatchCancelRequested,
  BatchDetail,
  BatchList,
  BatchRetry,
  BatchStarted,
  WorkflowUnanswered,
} from '../../common/schemas/batch-responses';
import type { Batch, PrismaClient } from '../../prisma/client';
import { isUniqueViolation } from '../../prisma/unique-violation';
import { isDatabaseUnavailable } from '../../prisma/unavailable';
import { SEARCH_ATTRIBUTE_KEYS as SA } from '../../temporal/search-attributes';
import {
  batchFailedItemsQuery,
  batchProgressQuery,
  pauseBatchUpdate,
  resumeBatchUpdate,
  retryFailedUpdate,
  setConcurrencyUpdate,
  type BatchWorkflowInput,
} from '../../workflows/batch.definitions';
import { batchWorkflow } from '../../workflows/batch.workflow';
import { ApiError, notFound } from '../http/api-error';
import { currentRequestContext } from '../http/request-context';
import { RequestBounds } from '../core/request-bounds.service';
import { CONFIG, PRISMA, TEMPORAL } from '../core/tokens';
import { digest, WorkflowStarter } from '../core/workflow-starter';
import { assertRunning, describeOr404, isNotFound, whileRunning } from '../runs/workflow-lookup';
import { batchItemRequests } from './batch-bounds';
import { BatchEstimator } from './batch-estimate';
import { LiveProgressCache } from './live-progress-cache';
import { runSearchAttributes } from '../core/run-search-attributes';
import {
  batchListItem,
  batchSummaryLine,
  parseReport,
  parseSpec,
  rowProgress,
  specSummary,
} from './batch.serializers';

export interface StartBatchOptions {
  idempotencyKey?: string;
  origin?: Origin;
}

export interface BatchSnapshot {
  progress: BatchProgress;
  /** A running batch's failed items from the workflow; undefined when the batch is not running. */
  failedItems?: FailedItemDetail[];
  /** Temporal status of the batch's latest run, or null when Temporal no longer knows it. */
  status: WorkflowExecutionStatusName | null;
  open: boolean;
  /** Running, but its workflow did not answer: `progress` is the row's last checkpoint. */
  unanswered: WorkflowUnanswered | null;
}

/**
 * How long a running batch's page of stories is reused (live-progress-cache.ts): short, so a
 * client that polls and then acts sees the batch about as it is, yet many readers cost a few
 * reads a second. Its description and query answers are not reused once answered: concurrent
 * readers share one query at a time, a lone reader always gets its own.
 */
export const LIVE_PAGE_FRESH_MS = 250;

/**
 * How long a reader of a running batch waits for a new answer from the workflow when it has an
 * earlier one. A busy worker (a 500-item window) took seconds to answer a query; past this the
 * reader gets the previous answer, and the new one serves the readers after it.
 */
export const LIVE_ANSWER_WAIT_MS = 50;

/** `p`'s value, or undefined if it takes longer than `ms` (it goes on; a rejection is `p`'s). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A running batch as Temporal and its workflow describe it (progress: undefined if unasked). */
interface LiveAnswer {
  description: WorkflowExecutionDescription | null;
  progress?: BatchProgress;
  failedItems?: FailedItemDetail[];
  /** Asked, but the progress query failed or found no worker in time. */
  unanswered?: WorkflowUnanswered;
}

/** A page of a batch's stories, as GET /api/batches/:id lists them. */
type ItemsPage = BatchDetail['items'];

@Injectable()
export class BatchesService {
  private readonly live = new LiveProgressCache<LiveAnswer>(0);
  /** Pages of running batches, keyed by batch, skip and limit (fewer: each holds up to 1,000 stories). */
  private readonly livePages = new LiveProgressCache<ItemsPage>(LIVE_PAGE_FRESH_MS, 100);

  constructor(
    private readonly starter: WorkflowStarter,
    @Inject(TEMPORAL) private readonly client: Client,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly estimator: BatchEstimator,
    private readonly bounds: RequestBounds,
  ) {}

  /** The workflow input for a spec, stamped with the current request (API, MCP and schedules). */
  workflowInput(spec: BatchSpec, origin: Origin): BatchWorkflowInput {
    const ctx = currentRequestContext();
    return {
      spec,
      settings: this.starter.runSettings(),
      llm: { provider: this.config.provider.name, model: this.config.provider.model },
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
      origin,
    };
  }

  searchAttributes(origin: Origin, correlationId: string): SearchAttributePair[] {
    return runSearchAttributes({
      kind: 'batch',
      origin,
      correlationId,
      state: 'running',
      provider: this.config.provider,
    });
  }

  specFrom(req: BatchRequest): BatchSpec {
    return toBatchSpec(
      req,
      this.config.env.BATCH_DEFAULT_CONCURRENCY,
      this.config.env.BATCH_ITEM_MODE,
    );
  }

  async create(req: BatchRequest, o: StartBatchOptions = {}): Promise<BatchStarted> {
    const { dryRun: _dryRun, ...rest } = req;
    return this.startSpec(this.specFrom(req), { ...o, requestDigest: digest(rest) });
  }

  /**
   * The dry run: what the batch would cost; starts no workflow and writes no row. A batch the
   * start would refuse (request bounds) is refused here the same way.
   */
  async estimate(req: BatchRequest): Promise<BatchEstimate> {
    const spec = this.specFrom(req);
    this.assertItemsBounded(spec);
    return this.estimator.estimate(spec);
  }

  /** Every item within the request bounds (its largest, per framework), or 422 and nothing started. */
  assertItemsBounded(spec: BatchSpec): void {
    for (const item of batchItemRequests(this.bounds.limits, this.bounds.promptsDir, spec))
      this.bounds.assert(item, HttpStatus.UNPROCESSABLE_ENTITY);
  }

  async startSpec(
    spec: BatchSpec,
    o: StartBatchOptions & { requestDigest?: string } = {},
  ): Promise<BatchStarted> {
    this.assertItemsBounded(spec);
    const origin = o.origin ?? 'api';
    const input = this.workflowInput(spec, origin);
    const started = await this.starter.start({
      workflow: batchWorkflow,
      prefix: 'batch',
      args: [input],
      idempotencyKey: o.idempotencyKey,
      requestDigest: o.requestDigest ?? digest(spec),
      summary: batchSummaryLine(spec, origin),
      searchAttributes: this.searchAttributes(origin, input.correlationId),
      memo: { transactionGuid: input.correlationId },
    });
    // The workflow creates its row too (schedules start it without us); this makes the batch
    // listable at once. Create-if-missing on both sides, so whichever comes second is a no-op:
    // one INSERT, not an upsert, so it never holds a read snapshot the worker's write outdates.
    try {
      await this.prisma.batch.create({
        data: {
          id: started.workflowId,
          workflowId: started.workflowId,
          totalItems: batchSize(spec),
          concurrency: spec.concurrency,
          budgetUsd: spec.budgetUsd ?? null,
          origin,
          spec: JSON.stringify(spec),
          correlationId: input.correlationId,
        },
        select: { id: true },
      });
    } catch (err) {
      // Already there (the workflow's insert came first), or the database is busy or down: the
      // started workflow writes the row itself (openBatch retries until it can), so the start
      // stands. A 5xx here would invite a retry that starts a second batch.
      if (!isUniqueViolation(err) && !isDatabaseUnavailable(err)) throw err;
    }
    return {
      batchId: started.workflowId,
      workflowId: started.workflowId,
      runId: started.runId,
      status: 'RUNNING',
      totalItems: batchSize(spec),
      links: this.links(started.workflowId),
    };
  }

  async list(skip: number, limit: number, status?: string): Promise<BatchList> {
    const where = status ? { status } : {};
    const [rows, total] = await Promise.all([
      this.prisma.batch.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip,
        take: limit,
      }),
      this.prisma.batch.count({ where }),
    ]);
    return { total, skip, limit, batches: rows.map(batchListItem) };
  }

  /** Live progress from the workflow while it runs; the stored report (or counters) after. */
  async snapshot(
    batchId: string,
  ): Promise<
    BatchSnapshot & { row: Batch | null; description: WorkflowExecutionDescription | null }
  > {
    let row = await this.row(batchId);
    // A batch without its report is running by its own account: its description and the
    // workflow's answers are shared by concurrent readers (live-progress-cache.ts). One with a
    // report (or no row) is asked live, so its close is seen at once.
    const running = row !== null && row.report === null && row.finishedAt === null;
    const live = running ? await this.liveAnswer(batchId) : await this.askWorkflow(batchId);
    const { description } = live;
    if (!description && !row) throw notFound('Batch');
    const status = description?.status.name ?? null;
    if (status !== 'RUNNING') {
      this.forgetLive(batchId);
      // Closed since its row was read: the report it wrote before closing is there now.
      if (running) row = await this.row(batchId);
    } else if (live.progress)
      return {
        ...live,
        progress: live.progress,
        status,
        open: true,
        unanswered: null,
        row,
        description,
      };
    // No worker answering queries right now: the last checkpoint is the best we have.
    const unanswered = status === 'RUNNING' ? (live.unanswered ?? null) : null;
    if (!row)
      throw new ApiError(
        HttpStatus.SERVICE_UNAVAILABLE,
        'BatchUnavailable',
        unanswered
          ? `The batch has no progress to show yet: ${unanswered.reason}; try again`
          : 'The batch has no progress to show yet; try again',
      );
    return {
      progress: rowProgress(row),
      status,
      open: status === 'RUNNING',
      unanswered,
      row,
      description,
    };
  }

  async get(batchId: string, skip: number, limit: number): Promise<BatchDetail> {
    const s = await this.snapshot(batchId);
    const spec = s.row ? parseSpec(s.row) : null;
    const report = s.row ? parseReport(s.row) : null;
    // Open: the workflow's list (empty when it could not be asked); closed: the report's.
    const failedItems = s.open ? (s.failedItems ?? []) : (report?.failedItems ?? []);
    // A running batch's page changes with every finished item: reused for LIVE_PAGE_FRESH_MS;
    // a closed batch's page is read as it is.
    const items =
      s.open && s.description
        ? await this.livePages.get(
            `${batchId}\u0000${skip}\u0000${limit}`,
            s.description.runId,
            () => this.itemsPage(batchId, skip, limit),
          )
        : await this.itemsPage(batchId, skip, limit);
    return {
      batchId,
      status: s.status,
      progress: s.progress,
      spec: spec ? specSummary(spec) : null,
      origin: s.row?.origin ?? null,
      transactionGuid: s.row?.correlationId ?? null,
      createdAt: s.row?.createdAt.toISOString() ?? null,
      finishedAt: s.row?.finishedAt?.toISOString() ?? null,
      report: s.open ? null : report,
      workflowUnanswered: s.unanswered,
      items,
      failedItems,
      links: this.links(batchId),
    };
  }

  /** A page of the batch's stories in item order, and how many it has in all. */
  private async itemsPage(batchId: string, skip: number, limit: number): Promise<ItemsPage> {
    const [stories, storyCount] = await Promise.all([
      this.storiesInItemOrder(batchId, skip, limit),
      this.prisma.story.count({ where: { batchId } }),
    ]);
    return {
      total: storyCount,
      skip,
      limit,
      stories: stories.map((r) => ({
        storyId: r.id,
        workflowId: r.workflowId,
        item: Number(/\/item-(\d+)$/.exec(r.workflowId)?.[1] ?? -1),
        framework: r.method,
        primaryCharacter: r.primaryCharacter,
        secondaryCharacter: r.secondaryCharacter,
        totalTokens: r.totalTokens,
        // usd(): six decimals, as everywhere (Decimal's toString drops trailing zeros, or writes 1e-7).
        costUsd: r.estimatedCostUsd === null ? null : usd(r.estimatedCostUsd.toString()),
        createdAt: r.createdAt.toISOString(),
        links: {
          story: `/api/stories/${r.id}`,
          run: `/api/runs/${encodeURIComponent(r.workflowId)}`,
        },
      })),
    };
  }

  /**
   * One page of a batch's stories in item order. Items finish out of order, so insertion order
   * (#1, #0, #3, ...) is not it; the item number ends the workflow ID (`<batchId>/item-<n>`, one
   * prefix per batch), so ordering by its length, then by it, is numeric order, in SQLite and
   * PostgreSQL alike.
   */
  private async storiesInItemOrder(batchId: string, skip: number, limit: number) {
    const page = await this.prisma.$queryRaw<{ id: number | bigint }[]>`
      SELECT id FROM stories WHERE batch_id = ${batchId}
      ORDER BY length(workflow_id), workflow_id LIMIT ${limit} OFFSET ${skip}`;
    const ids = page.map((r) => Number(r.id));
    const rows = await this.prisma.story.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        workflowId: true,
        method: true,
        primaryCharacter: true,
        secondaryCharacter: true,
        totalTokens: true,
        estimatedCostUsd: true,
        createdAt: true,
      },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  pause(batchId: string) {
    return this.update(batchId, (h) => h.executeUpdate(pauseBatchUpdate), 'pause');
  }

  resume(batchId: string) {
    return this.update(batchId, (h) => h.executeUpdate(resumeBatchUpdate), 'resume');
  }

  setConcurrency(batchId: string, concurrency: number) {
    return this.update(
      batchId,
      (h) => h.executeUpdate(setConcurrencyUpdate, { args: [concurrency] }),
      'change the concurrency of',
    );
  }

  /** Cancels the batch workflow: no new items, running children cancelled, report written. */
  async cancel(batchId: string): Promise<BatchCancelRequested> {
    const d = await this.describeBatchOr404(batchId);
    assertRunning(d, 'cancel the batch', 'batch');
    await whileRunning('cancel the batch', 'batch', () => this.handle(batchId).cancel());
    this.forgetLive(batchId);
    return { batchId, status: 'CANCEL_REQUESTED', links: this.links(batchId) };
  }

  /**
   * Failed items again, as a group. A running batch queues them (Update); a completed one is
   * reopened: a new run of the same workflow ID that only runs the failed items, under the same
   * child IDs (a failed child may be started again, a completed one never).
   */
  async retryFailed(batchId: string): Promise<BatchRetry> {
    const d = await this.describeBatchOr404(batchId);
    if (d.status.name === 'RUNNING') {
      const r = await this.update(
        batchId,
        (h) => h.executeUpdate(retryFailedUpdate),
        'retry the failed items of',
      );
      return {
        batchId,
        queued: r.queued,
        reopened: false,
        progress: r.progress,
        links: this.links(batchId),
      };
    }
    const row = await this.row(batchId);
    const report = row && parseReport(row);
    if (!row || !report)
      throw new ApiError(
        HttpStatus.CONFLICT,
        'BatchNotFinished',
        'The batch has no final report to retry from',
      );
    if (report.state !== 'completed') {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'BatchNotCompleted',
        `Only a batch that processed every item can retry its failed items; this one was ${report.state}${report.stopReason ? ` (${report.stopReason})` : ''}`,
      );
    }
    if (report.failedItems.length === 0)
      throw new ApiError(HttpStatus.CONFLICT, 'NothingToRetry', 'The batch has no failed items');
    const spec = parseSpec(row);
    const carry: BatchCarry = {
      cursor: report.total,
      completed: report.completed,
      cancelled: report.cancelled,
      failed: [],
      retryQueue: report.failedItems.map((f) => f.index),
      costUsd: report.costUsd,
      totalTokens: report.totalTokens,
      concurrency: report.concurrency,
      paused: false,
      startedAt: report.startedAt,
      runs: report.runs,
      reopen: true,
    };
    const input: BatchWorkflowInput = {
      ...this.workflowInput(spec, row.origin as Origin),
      resume: carry,
    };
    try {
      const handle = await this.client.workflow.start(batchWorkflow, {
        taskQueue: this.config.env.TEMPORAL_TASK_QUEUE,
        workflowId: batchId,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        typedSearchAttributes: [
          ...this.searchAttributes(row.origin as Origin, input.correlationId),
          { key: SA.BatchId, value: batchId },
        ],
        memo: { transactionGuid: input.correlationId, retryOf: d.runId },
        staticSummary: `retry of ${carry.retryQueue.length} failed item(s): ${batchSummaryLine(spec, row.origin)}`,
      });
      return {
        batchId,
        queued: carry.retryQueue.length,
        reopened: true,
        runId: handle.firstExecutionRunId,
        links: this.links(batchId),
      };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'BatchAlreadyRunning',
          'The batch is running again already',
        );
      }
      throw err;
    }
  }

  /** After a change made elsewhere (RunsService's cancel and terminate): read it live next time. */
  forgetLive(batchId: string): void {
    this.live.forget(batchId);
    this.livePages.forgetPrefix(`${batchId}\u0000`);
  }

  /**
   * A running batch's answer, shared by concurrent readers. The first is waited for; a refresh
   * after it at most LIVE_ANSWER_WAIT_MS, then the previous answer stands in.
   */
  private async liveAnswer(batchId: string): Promise<LiveAnswer> {
    const asked = this.live.get(batchId, '', () => this.askWorkflow(batchId));
    const previous = this.live.previous(batchId, '');
    if (!previous) return asked;
    return (await within(asked, LIVE_ANSWER_WAIT_MS)) ?? previous;
  }

  /**
   * The description and, while it runs, both queries, one after the other: two at once on one
   * workflow took ~2 s more on the dev server (measured in test/batch.spec.ts's pause test). A
   * query that fails leaves its part out (the caller falls back to the row's counters, and an
   * empty list of failed items). A query waits for a worker of the batch's task queue, for ever
   * if there is none (a stale schedule's batches on a queue nobody polls: 30 s a read), so
   * each one gets WORKFLOW_QUERY_TIMEOUT_MS and the answer says which queue did not answer.
   */
  private async askWorkflow(batchId: string): Promise<LiveAnswer> {
    const description = await this.describeBatch(batchId);
    if (description?.status.name !== 'RUNNING') return { description };
    const h = this.handle(batchId);
    const timeoutMs = this.config.env.WORKFLOW_QUERY_TIMEOUT_MS;
    const query = <R>(ask: () => Promise<R>) =>
      this.client.withDeadline(Date.now() + timeoutMs, ask);
    let progress: BatchProgress;
    try {
      progress = await query(() => h.query(batchProgressQuery));
    } catch (err) {
      const reason = isGrpcDeadlineError(err)
        ? `no worker on task queue "${description.taskQueue}" answered within ${timeoutMs} ms (none polls it, or none was free)`
        : `the workflow did not answer its progress query: ${(err as Error).message}`;
      return { description, unanswered: { taskQueue: description.taskQueue, reason } };
    }
    const failedItems = await query(() => h.query(batchFailedItemsQuery)).catch(
      (): FailedItemDetail[] => [],
    );
    return { description, progress, failedItems };
  }

  /** The batch's workflow, typed: its queries and updates come from batch.definitions. */
  private handle(batchId: string): WorkflowHandle<typeof batchWorkflow> {
    return this.client.workflow.getHandle(batchId);
  }

  private async update<R>(
    batchId: string,
    send: (h: WorkflowHandle<typeof batchWorkflow>) => Promise<R>,
    action: string,
  ): Promise<R> {
    const d = await this.describeBatchOr404(batchId);
    assertRunning(d, `${action} the batch`, 'batch');
    try {
      return await whileRunning(`${action} the batch`, 'batch', () => send(this.handle(batchId)));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
        const type = cause?.type ?? 'BatchUpdateRejected';
        const status =
          type === 'InvalidConcurrency' ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.CONFLICT;
        throw new ApiError(
          status,
          type,
          `Cannot ${action} the batch: ${cause?.message ?? err.message}`,
        );
      }
      throw err;
    } finally {
      // Whatever the update did, the next read must not show the state from before it.
      this.forgetLive(batchId);
    }
  }

  private links(batchId: string) {
    const id = encodeURIComponent(batchId);
    return {
      self: `/api/batches/${id}`,
      events: `/api/batches/${id}/events`,
      run: `/api/runs/${id}`,
      history: `/api/runs/${id}/history`,
    };
  }

  private async row(batchId: string): Promise<Batch | null> {
    return this.prisma.batch.findUnique({ where: { id: batchId } });
  }

  /** The batch workflow's description, or null if Temporal does not know it (or it is not a batch). */
  private async describeBatch(batchId: string): Promise<WorkflowExecutionDescription | null> {
    try {
      const d = await this.handle(batchId).describe();
      return d.type === batchWorkflow.name ? d : null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  private async describeBatchOr404(batchId: string): Promise<WorkflowExecutionDescription> {
    const d = await describeOr404(this.client, batchId, 'Batch');
    if (d.type !== batchWorkflow.name) throw notFound('Batch');
    return d;
  }
}

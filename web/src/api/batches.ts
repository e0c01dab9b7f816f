import { api, send, type Page } from './client';
import type {
  BatchCancelRequested,
  BatchDetail,
  BatchEstimate,
  BatchEvent,
  BatchFailedItem,
  BatchListItem,
  BatchProgress,
  BatchReport,
  BatchRequest,
  BatchRetry,
  BatchStarted,
  BatchStory,
} from './types';

export type { BatchStory };

/** What the UI shows of a batch, from its row (list), its detail, or a progress event. */
export interface BatchView {
  id: string;
  workflowId?: string;
  /** The batch's state: running, paused, finishing, completed, stopped, cancelled or failed. */
  status: string;
  stopReason?: string | null;
  label?: string;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  running: number;
  pending: number;
  costUsd: number;
  budgetUsd: number | null;
  /** Worst-case cost held by the running items of a budgeted batch (0 when none). */
  reservedUsd: number;
  /** The audited cost of calls paid again after a worker crash: what the cap could not prevent (0 when none). */
  overshootUsd: number;
  totalTokens: number;
  concurrency?: number;
  etaSeconds?: number | null;
  /** How the provider answers the batch's calls: pace, and whether it is throttling the batch. */
  provider?: BatchProgress['provider'];
  frameworks?: string[];
  createdAt?: string;
  finishedAt?: string | null;
  failedItems: BatchFailedItem[];
  /** How its items ran: `activity` (inside the batch's run) or `workflow` (a child run each). */
  itemMode?: BatchItemMode;
  /** State `failed`: what the batch could not get past. */
  failure?: string;
  /** Set while its workflow does not answer (no worker on its task queue): progress is the last checkpoint. */
  workflowUnanswered?: BatchDetail['workflowUnanswered'];
}

export type BatchItemMode = NonNullable<BatchDetail['spec']>['itemMode'];

/** The API's money (6-decimal strings) as numbers, for display and progress bars. */
const usd = (v: string | null) => (v === null ? null : Number(v));

/** Live progress or the final report (a progress event carries no label, stories or workflow id). */
function fromProgress(p: BatchProgress | BatchReport): BatchView {
  const report = 'finishedAt' in p ? p : undefined;
  return {
    id: p.batchId,
    status: p.state,
    stopReason: p.stopReason,
    total: p.total,
    completed: p.completed,
    failed: p.failed,
    cancelled: p.cancelled,
    running: p.running,
    pending: p.pending,
    costUsd: Number(p.costUsd),
    budgetUsd: usd(p.budgetUsd),
    reservedUsd: Number(p.reservedUsd),
    overshootUsd: Number(p.overshootUsd),
    totalTokens: p.totalTokens,
    concurrency: p.concurrency,
    etaSeconds: p.etaSeconds,
    provider: p.provider ?? null,
    createdAt: p.startedAt,
    finishedAt: report?.finishedAt,
    failedItems: report?.failedItems ?? [],
    failure: report?.failure,
  };
}

/** The data of a server-sent progress event. */
export const toBatchView = (event: BatchEvent): BatchView => fromProgress(event);

function fromDetail(d: BatchDetail): BatchView {
  return {
    ...fromProgress(d.report ?? d.progress),
    workflowId: d.batchId,
    label: d.spec?.label ?? undefined,
    frameworks: d.spec?.frameworks,
    itemMode: d.spec?.itemMode,
    createdAt: d.createdAt ?? (d.report ?? d.progress).startedAt,
    finishedAt: d.finishedAt,
    failedItems: d.failedItems,
    workflowUnanswered: d.workflowUnanswered,
  };
}

function fromListItem(b: BatchListItem): BatchView {
  return {
    id: b.batchId,
    workflowId: b.batchId,
    status: b.status,
    stopReason: b.stopReason,
    label: b.label ?? undefined,
    total: b.totalItems,
    completed: b.completed,
    failed: b.failed,
    cancelled: b.cancelled,
    // The row's counters are checkpoints: it does not know what is running right now.
    running: 0,
    pending: Math.max(0, b.totalItems - b.completed - b.failed - b.cancelled),
    costUsd: Number(b.spentUsd),
    budgetUsd: usd(b.budgetUsd),
    // The row keeps no reservations; overshoot shows on the batch's own page.
    reservedUsd: 0,
    overshootUsd: 0,
    totalTokens: b.totalTokens,
    concurrency: b.concurrency,
    etaSeconds: null,
    createdAt: b.createdAt,
    finishedAt: b.finishedAt,
    failedItems: [],
  };
}

export const isBatchOpen = (status: string) =>
  ['running', 'paused', 'finishing', 'queued', 'pending'].includes(status.toLowerCase());

export type CreateBatchInput = BatchRequest;

/** Starts a batch; the reply names it (batchId) and says how many items it has. */
export async function createBatch(body: CreateBatchInput): Promise<BatchStarted> {
  const r = await send(api.POST('/api/batches', { body }));
  if ('dryRun' in r) throw new Error('The API answered an estimate to a start');
  return r;
}

/** What the batch would cost (dry run): nothing is started or written. */
export async function estimateBatch(body: CreateBatchInput): Promise<BatchEstimate> {
  const r = await send(api.POST('/api/batches', { body: { ...body, dryRun: true } }));
  if (!('dryRun' in r)) throw new Error('The API started a batch instead of estimating it');
  return r;
}

/** One page of batches, newest first, with how many there are in all. */
export async function listBatches(skip: number, limit: number): Promise<Page<BatchView>> {
  const body = await send(api.GET('/api/batches', { params: { query: { skip, limit } } }));
  return { rows: body.batches.map(fromListItem), total: body.total };
}

/** The batch (its stories page on their own: listBatchStories). */
export async function getBatch(id: string): Promise<BatchView> {
  return fromDetail(await send(api.GET('/api/batches/{id}', { params: { path: { id } } })));
}

/** One page of the stories a batch made, in item order, with how many there are so far. */
export async function listBatchStories(
  id: string,
  skip: number,
  limit: number,
): Promise<Page<BatchStory>> {
  const d = await send(
    api.GET('/api/batches/{id}', { params: { path: { id }, query: { skip, limit } } }),
  );
  return { rows: d.items.stories, total: d.items.total };
}

export const batchEventsUrl = (id: string) => `/api/batches/${encodeURIComponent(id)}/events`;

type Action = 'pause' | 'resume' | 'cancel' | 'retry-failed';

export function batchAction(
  id: string,
  action: Action,
): Promise<BatchProgress | BatchCancelRequested | BatchRetry> {
  const params = { params: { path: { id } } };
  switch (action) {
    case 'pause':
      return send(api.POST('/api/batches/{id}/pause', params));
    case 'resume':
      return send(api.POST('/api/batches/{id}/resume', params));
    case 'cancel':
      return send(api.POST('/api/batches/{id}/cancel', params));
    case 'retry-failed':
      return send(api.POST('/api/batches/{id}/retry-failed', params));
  }
}

/** The batch's progress with the new window. */
export const setBatchConcurrency = (id: string, concurrency: number) =>
  send(
    api.POST('/api/batches/{id}/concurrency', { params: { path: { id } }, body: { concurrency } }),
  );

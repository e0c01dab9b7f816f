import { api, send } from './client';
import type { BatchItem, BatchSummary } from './types';

/** What the UI shows of a batch, whichever field names the API uses (row, progress or report). */
export interface BatchView {
  id: string;
  workflowId?: string;
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
  totalTokens: number;
  concurrency?: number;
  etaSeconds?: number | null;
  frameworks?: string[];
  createdAt?: string;
  finishedAt?: string | null;
  failedItems: BatchItem[];
  /** Stories made so far (the first page), and how many in all. */
  stories: BatchStory[];
  storyCount?: number;
}

export interface BatchStory {
  storyId: number;
  workflowId: string;
  item: number;
  framework: string;
  primaryCharacter: string;
  secondaryCharacter: string;
  totalTokens: number | null;
  costUsd: string | number | null;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function toBatchView(raw: unknown): BatchView {
  const r = (raw ?? {}) as Record<string, unknown>;
  const nested = ['batch', 'progress', 'report'].map((k) =>
    r[k] && typeof r[k] === 'object' ? (r[k] as Record<string, unknown>) : {},
  );
  const s: Record<string, unknown> = { ...nested[0], ...r, ...nested[1], ...nested[2] };
  const spec = (s.spec && typeof s.spec === 'object' ? s.spec : {}) as Record<string, unknown>;
  const total = num(s.total) ?? num(s.totalItems) ?? 0;
  const completed = num(s.completed) ?? 0;
  const failed = num(s.failed) ?? (Array.isArray(s.failed) ? s.failed.length : 0);
  const cancelled = num(s.cancelled) ?? 0;
  const running = num(s.running) ?? 0;
  const items = (
    s.items && typeof s.items === 'object' && !Array.isArray(s.items) ? s.items : {}
  ) as { stories?: BatchStory[]; total?: number };
  const failedItems = (
    Array.isArray(s.failedItems) ? s.failedItems : Array.isArray(s.failed) ? s.failed : []
  ) as BatchItem[];
  return {
    id: str(s.batchId) ?? str(s.id) ?? '',
    // A batch's ID is its workflow's ID.
    workflowId: str(s.workflowId) ?? str(s.batchId),
    status: str(s.state) ?? str(s.status) ?? 'unknown',
    stopReason: str(s.stopReason) ?? null,
    label: str(s.label) ?? str(spec.label),
    total,
    completed,
    failed,
    cancelled,
    running,
    pending: num(s.pending) ?? Math.max(0, total - completed - failed - cancelled - running),
    costUsd: num(s.costUsd) ?? num(s.spentUsd) ?? 0,
    budgetUsd: num(s.budgetUsd) ?? num(spec.budgetUsd) ?? null,
    totalTokens: num(s.totalTokens) ?? 0,
    concurrency: num(s.concurrency) ?? num(spec.concurrency),
    etaSeconds: num(s.etaSeconds) ?? null,
    frameworks: Array.isArray(s.frameworks)
      ? (s.frameworks as string[])
      : Array.isArray(spec.frameworks)
        ? (spec.frameworks as string[])
        : undefined,
    createdAt: str(s.createdAt) ?? str(s.startedAt),
    finishedAt: str(s.finishedAt) ?? null,
    failedItems,
    stories: Array.isArray(items.stories) ? items.stories : [],
    storyCount: num(items.total),
  };
}

export const isBatchOpen = (status: string) =>
  ['running', 'paused', 'finishing', 'queued', 'pending'].includes(status.toLowerCase());

export interface CreateBatchInput {
  /** Exactly one of `items` (explicit pairs) or `generate` (count pairs from lists of names). */
  items?: { primaryCharacter: string; secondaryCharacter: string }[];
  generate?: { count: number; primaryNames: string[]; secondaryNames: string[] };
  frameworks: string[];
  concurrency: number;
  budgetUsd?: string;
  label?: string;
}

export async function createBatch(body: CreateBatchInput): Promise<BatchView> {
  return toBatchView(await send<unknown>(api.POST('/api/batches', { body })));
}

export async function listBatches(): Promise<BatchView[]> {
  const body = await send<BatchSummary[] | { batches?: BatchSummary[]; items?: BatchSummary[] }>(
    api.GET('/api/batches'),
  );
  const list = Array.isArray(body) ? body : (body.batches ?? body.items ?? []);
  return list.map(toBatchView);
}

export async function getBatch(id: string): Promise<BatchView> {
  return toBatchView(
    await send<unknown>(api.GET('/api/batches/{id}', { params: { path: { id } } })),
  );
}

export const batchEventsUrl = (id: string) => `/api/batches/${encodeURIComponent(id)}/events`;

type Action = 'pause' | 'resume' | 'cancel' | 'retry-failed';

export async function batchAction(id: string, action: Action): Promise<BatchView> {
  const path = `/api/batches/{id}/${action}` as '/api/batches/{id}/pause';
  return toBatchView(await send<unknown>(api.POST(path, { params: { path: { id } } })));
}

export async function setBatchConcurrency(id: string, concurrency: number): Promise<BatchView> {
  return toBatchView(
    await send<unknown>(
      api.POST('/api/batches/{id}/concurrency', {
        params: { path: { id } },
        body: { concurrency },
      }),
    ),
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  batchAction,
  batchEventsUrl,
  getBatch,
  isBatchOpen,
  setBatchConcurrency,
  toBatchView,
  type BatchView,
} from '../api/batches';
import type { BatchEvent } from '../api/types';
import { errorMessage } from '../api/errors';
import { StatusBadge } from '../components/badges';
import { BatchStories } from '../components/BatchStories';
import { batchItemLink } from '../lib/batch-items';
import { BudgetBar } from '../components/BudgetBar';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { ProgressBar } from '../components/ProgressBar';
import { StatCard } from '../components/StatCard';
import { ErrorState, LoadingState, Spinner } from '../components/states';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useEventSource } from '../hooks/useEventSource';
import { useToast } from '../hooks/toast-context';
import { formatDateTime, formatMs, formatNumber, formatUsd } from '../lib/format';
import { frameworkLabel } from '../lib/frameworks';
import { LIMITS } from '../lib/limits';

/** The stream sends `progress` once a second and a last `closed` event when the batch ends. */
const STREAM_EVENTS = ['progress', 'closed'];

export function BatchDetailPage() {
  const { batchId = '' } = useParams();
  useDocumentTitle(`Batch ${batchId}`);
  const toast = useToast();
  const qc = useQueryClient();
  const key = ['batches', 'detail', batchId];
  const batch = useQuery({
    queryKey: key,
    queryFn: () => getBatch(batchId),
    // SSE carries the live progress; a slow poll is the fallback if the stream drops.
    refetchInterval: (q) =>
      q.state.status === 'error' || (q.state.data && !isBatchOpen(q.state.data.status))
        ? false
        : 5000,
  });
  const open = batch.data ? isBatchOpen(batch.data.status) : true;

  const stream = useEventSource(
    open && batchId ? batchEventsUrl(batchId) : null,
    STREAM_EVENTS,
    (name, data) => {
      if (data && typeof data === 'object') {
        const next = toBatchView(data as BatchEvent);
        qc.setQueryData<BatchView>(key, (old) =>
          old ? { ...old, ...pickDefined(next, old) } : next,
        );
      }
      if (name === 'closed') {
        void qc.invalidateQueries({ queryKey: ['batches'] });
        return 'close';
      }
      const status = data && typeof data === 'object' ? toBatchView(data as BatchEvent).status : '';
      if (status && status !== 'unknown' && !isBatchOpen(status)) {
        void qc.invalidateQueries({ queryKey: ['batches'] });
        return 'close';
      }
    },
  );

  const act = useMutation({
    mutationFn: (a: 'pause' | 'resume' | 'cancel' | 'retry-failed') => batchAction(batchId, a),
    onSuccess: (_b, a) => {
      toast.success(
        {
          pause: 'Batch paused',
          resume: 'Batch resumed',
          cancel: 'Batch cancellation requested',
          'retry-failed': 'Failed items queued again',
        }[a],
      );
      void qc.invalidateQueries({ queryKey: ['batches'] });
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  if (batch.isPending) return <LoadingState label="Loading batch…" />;
  if (batch.isError) {
    return (
      <div className="space-y-4">
        <Link to="/batches" className="text-sm text-indigo-600 hover:underline">
          ← All batches
        </Link>
        <ErrorState
          error={batch.error}
          title={`Could not load batch ${batchId}`}
          onRetry={() => void batch.refetch()}
        />
      </div>
    );
  }
  const b = batch.data;
  const paused = b.status.toLowerCase() === 'paused';
  // Waiting items of a closed, cancelled or budget-stopped batch will never run: not "waiting".
  const stopped = !open || Boolean(b.stopReason);
  const overBudget = b.budgetUsd === null ? 0 : b.costUsd - b.budgetUsd;

  return (
    <div className="space-y-6">
      <Link to="/batches" className="text-sm text-indigo-600 hover:underline">
        ← All batches
      </Link>
      <PageHeader
        title={b.label || 'Batch'}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-xs">{b.id}</span>
            <StatusBadge status={b.status} />
            {b.stopReason && (
              <span className="text-xs text-amber-700">stopped: {b.stopReason}</span>
            )}
            {open && (
              <span className="text-xs text-slate-500" data-testid="stream-state">
                live: {stream}
              </span>
            )}
          </span>
        }
        actions={
          open && (
            <>
              {paused ? (
                <button
                  type="button"
                  className="btn-primary"
                  disabled={act.isPending}
                  onClick={() => act.mutate('resume')}
                >
                  Resume
                </button>
              ) : (
                <button
                  type="button"
                  className="btn-secondary"
                  disabled={act.isPending}
                  onClick={() => act.mutate('pause')}
                >
                  Pause
                </button>
              )}
              <ConfirmButton
                title="Cancel this batch?"
                message={
                  <ul className="list-disc space-y-1 pl-5">
                    <li>
                      {plural(b.pending, 'waiting item')} will never start
                      {b.running > 0 &&
                        `; ${plural(b.running, 'running story', 'running stories')} ${b.running === 1 ? 'is' : 'are'} stopped`}
                      .
                    </li>
                    <li>
                      The {plural(b.completed, 'story', 'stories')} already made (
                      {formatUsd(b.costUsd)}) are kept.
                    </li>
                    <li>
                      This cannot be undone; the batch can only be started again as a new one.
                    </li>
                  </ul>
                }
                confirmLabel="Cancel the batch"
                dismissLabel="Keep it running"
                onConfirm={() => act.mutateAsync('cancel')}
              >
                Cancel batch
              </ConfirmButton>
            </>
          )
        }
      />

      <section aria-label="Progress" className="card p-5">
        <ProgressBar
          completed={b.completed}
          failed={b.failed}
          total={b.total}
          label="Batch progress"
        />
        <p className="mt-2 text-xs text-slate-500" data-testid="progress-counts">
          {b.running} running
          {b.pending > 0 &&
            (stopped ? ` · ${b.pending} not started (${stopWords(b)})` : ` · ${b.pending} waiting`)}
          {b.cancelled ? ` · ${b.cancelled} cancelled` : ''}
          {b.etaSeconds ? ` · about ${formatMs(b.etaSeconds * 1000)} left` : ''}
          {b.provider ? ` · ${formatNumber(b.provider.callsPerMinute)} LLM calls/min` : ''}
        </p>
        {b.provider?.throttled && (
          <p role="status" className="mt-2 text-xs font-medium text-amber-700">
            Throttled by the provider: {formatNumber(b.provider.rateLimitedCalls)} call(s)
            rate-limited in the last 10 s; running {b.provider.window} at once (of {b.concurrency})
            at {formatNumber(b.provider.callsPerMinute)} calls/min.
          </p>
        )}
        {b.failure && (
          <p
            role="alert"
            className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
            data-testid="batch-failure"
          >
            <strong className="font-semibold">The batch failed:</strong> {b.failure}
          </p>
        )}
        {b.workflowUnanswered && (
          <p
            role="status"
            className="mt-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
            data-testid="workflow-unanswered"
          >
            <strong className="font-semibold">Its workflow is not answering</strong> (
            {b.workflowUnanswered.reason}). The figures above are its last checkpoint; a worker on
            task queue <code>{b.workflowUnanswered.taskQueue}</code> picks it up again.
          </p>
        )}
        {overBudget > HALF_MICRO_USD && b.budgetUsd !== null && (
          <p
            role="alert"
            className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
            data-testid="budget-exceeded"
          >
            <strong className="font-semibold">Over budget:</strong> spent {formatUsd(b.costUsd)} of
            a {formatUsd(b.budgetUsd)} budget, {formatUsd(overBudget)} more than allowed.
            {open ? ' No new items start.' : ''}
          </p>
        )}
        {b.budgetUsd !== null && (
          <div className="mt-4">
            <h2 className="mb-1 text-sm font-medium text-slate-700">Budget</h2>
            <BudgetBar
              spentUsd={b.costUsd}
              reservedUsd={b.reservedUsd}
              budgetUsd={b.budgetUsd}
              overshootUsd={b.overshootUsd}
            />
          </div>
        )}
      </section>

      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard
          label="Items"
          value={formatNumber(b.total)}
          hint={b.frameworks?.map(frameworkLabel).join(', ')}
        />
        <StatCard
          label="Spent"
          value={formatUsd(b.costUsd)}
          hint={
            b.budgetUsd !== null
              ? `budget ${formatUsd(b.budgetUsd)}${b.overshootUsd > 0 ? `, ${formatUsd(b.overshootUsd)} over` : ''}`
              : 'no budget cap'
          }
        />
        <StatCard label="Tokens" value={formatNumber(b.totalTokens)} />
        <StatCard
          label="Started"
          value={formatDateTime(b.createdAt)}
          hint={b.finishedAt ? `finished ${formatDateTime(b.finishedAt)}` : undefined}
        />
      </dl>

      <div className="grid gap-6 lg:grid-cols-2">
        {open && <ConcurrencyForm batchId={batchId} current={b.concurrency} />}
        <section aria-labelledby="batch-run-title" className="card p-5">
          <h2 id="batch-run-title" className="mb-2 text-base font-semibold text-slate-900">
            Workflow
          </h2>
          {b.workflowId ? (
            <Link
              className="font-mono text-sm text-indigo-700 hover:underline"
              to={`/runs/${encodeURIComponent(b.workflowId)}`}
            >
              {b.workflowId}
            </Link>
          ) : (
            <p className="text-sm text-slate-500">—</p>
          )}
          {b.itemMode === 'activity' ? (
            <p className="mt-2 text-xs text-slate-500">
              Every item is an activity of this run, with no run of its own: its story and its
              audited attempts keep its key (<span className="font-mono">{b.id}/item-n</span>).
            </p>
          ) : (
            <p className="mt-2 text-xs text-slate-500">
              Every item is a child story workflow:{' '}
              <Link
                className="text-indigo-700 hover:underline"
                to={`/runs?type=story&batchId=${encodeURIComponent(b.id)}`}
              >
                see the item runs
              </Link>
              .
            </p>
          )}
        </section>
      </div>

      <section aria-labelledby="failed-title" className="card p-5">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 id="failed-title" className="text-base font-semibold text-slate-900">
            Failed items ({b.failed})
          </h2>
          {b.failed > 0 && (
            <button
              type="button"
              className="btn-primary"
              disabled={act.isPending}
              onClick={() => act.mutate('retry-failed')}
            >
              {act.isPending && act.variables === 'retry-failed' && <Spinner />}
              Retry failed
            </button>
          )}
        </div>
        {b.failedItems.length === 0 ? (
          <p className="text-sm text-slate-500">
            {b.failed > 0
              ? 'Details of the failed items are not available yet.'
              : 'No failed items.'}
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="failed-items">
            {b.failedItems.map((it, i) => (
              <li
                key={String(it.index ?? i)}
                className="flex flex-wrap items-baseline gap-x-3 py-2"
              >
                <span className="text-xs text-slate-400">#{String(it.index ?? i)}</span>
                {it.primaryCharacter && (
                  <span className="font-medium">
                    {it.primaryCharacter} &amp; {it.secondaryCharacter}
                  </span>
                )}
                {it.framework && (
                  <span className="text-xs text-slate-500">{frameworkLabel(it.framework)}</span>
                )}
                <span
                  className="min-w-0 flex-1 truncate text-xs text-red-700"
                  title={String(it.error ?? '')}
                >
                  {String(it.error ?? 'failed')}
                </span>
                {it.workflowId && (
                  <Link
                    className="text-xs text-indigo-700 hover:underline"
                    to={batchItemLink(b.itemMode, it.workflowId).to}
                  >
                    {batchItemLink(b.itemMode, it.workflowId).label}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <BatchStories batchId={batchId} done={b.completed} itemMode={b.itemMode} />
    </div>
  );
}

/** Money is exact to the micro-dollar: less than half of one over the budget is not over it. */
const HALF_MICRO_USD = 5e-7;

const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/** Why a batch's waiting items will not run. */
function stopWords(b: BatchView): string {
  if (b.stopReason === 'budget') return 'budget reached';
  if (b.stopReason === 'cancelled' || b.status === 'cancelled') return 'cancelled';
  return 'the batch has ended';
}

/** Keeps fields the stream event didn't carry (a progress event has no label or workflow id). */
function pickDefined(next: BatchView, old: BatchView): Partial<BatchView> {
  const out: Partial<BatchView> = {};
  for (const [k, v] of Object.entries(next) as [keyof BatchView, unknown][]) {
    // A progress event carries no list of failed items: keep the one the last full read returned.
    if (
      v === undefined ||
      v === '' ||
      (k === 'failedItems' && Array.isArray(v) && v.length === 0 && old[k].length > 0)
    )
      continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

function ConcurrencyForm({ batchId, current }: { batchId: string; current?: number }) {
  const toast = useToast();
  const qc = useQueryClient();
  const [value, setValue] = useState(String(current ?? ''));
  const change = useMutation({
    mutationFn: (n: number) => setBatchConcurrency(batchId, n),
    onSuccess: (b) => {
      toast.success(`Concurrency set to ${b.concurrency ?? value}`);
      void qc.invalidateQueries({ queryKey: ['batches'] });
    },
    onError: (err) => toast.error(errorMessage(err)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > LIMITS.batchConcurrency) {
      toast.error(`Concurrency must be a whole number from 1 to ${LIMITS.batchConcurrency}`);
      return;
    }
    change.mutate(n);
  };
  return (
    <form onSubmit={submit} className="card p-5" aria-labelledby="conc-title">
      <h2 id="conc-title" className="mb-2 text-base font-semibold text-slate-900">
        Concurrency window
      </h2>
      <p className="mb-3 text-xs text-slate-500">
        Stories generated at once (now {current ?? '—'}). Takes effect for the next items.
      </p>
      <div className="flex items-end gap-2">
        <div className="w-32">
          <label htmlFor="conc-input" className="label">
            New window
          </label>
          <input
            id="conc-input"
            type="number"
            min={1}
            max={LIMITS.batchConcurrency}
            className="input"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </div>
        <button type="submit" className="btn-secondary" disabled={change.isPending}>
          {change.isPending && <Spinner />}
          Apply
        </button>
      </div>
    </form>
  );
}

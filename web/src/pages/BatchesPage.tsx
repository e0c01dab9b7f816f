import { Link } from 'react-router';
import { listBatches } from '../api/batches';
import { StatusBadge } from '../components/badges';
import { BatchCreateForm } from '../components/BatchCreateForm';
import { PageHeader } from '../components/PageHeader';
import { ProgressBar } from '../components/ProgressBar';
import { LoadMore } from '../components/LoadMore';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { formatDateTime, formatUsd } from '../lib/format';
import { usePagedList } from '../hooks/usePagedList';
import { pollUnlessError } from '../lib/polling';

const PAGE_SIZE = 20;

export function BatchesPage() {
  useDocumentTitle('Batches');
  const list = usePagedList(['batches', 'list'], listBatches, PAGE_SIZE, {
    refetchInterval: pollUnlessError(3000),
  });
  const batches = list.query;
  const { rows, total } = list;
  return (
    <div>
      <PageHeader
        title="Batches"
        description="Many stories at once, with a concurrency window and an optional budget. Progress updates live."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,26rem)_1fr]">
        <BatchCreateForm />
        {/* On a phone the list comes first: it is what a daily visit is for. */}
        <section aria-labelledby="batch-list-title" className="order-first lg:order-none">
          <h2 id="batch-list-title" className="mb-3 text-base font-semibold text-slate-900">
            Recent batches{total !== undefined && ` (${total})`}
          </h2>
          {batches.isPending ? (
            <LoadingState label="Loading batches…" />
          ) : batches.isError ? (
            <ErrorState
              error={batches.error}
              title="Could not load batches"
              onRetry={() => void batches.refetch()}
            />
          ) : rows.length === 0 ? (
            <EmptyState title="No batches yet" icon="▦">
              Start one with the form.
            </EmptyState>
          ) : (
            <>
              <ul className="space-y-3" data-testid="batch-list">
                {rows.map((b) => (
                  <li key={b.id} className="card p-4">
                    <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                      <Link
                        to={`/batches/${encodeURIComponent(b.id)}`}
                        className="min-w-0 truncate font-medium text-indigo-700 hover:underline"
                      >
                        {b.label || b.id}
                      </Link>
                      <StatusBadge status={b.status} />
                    </div>
                    <ProgressBar
                      completed={b.completed}
                      failed={b.failed}
                      total={b.total}
                      label={`Progress of batch ${b.label || b.id}`}
                    />
                    <p className="mt-1 text-xs text-slate-500">
                      {formatDateTime(b.createdAt)} · spent {formatUsd(b.costUsd)}
                      {b.budgetUsd !== null ? ` of ${formatUsd(b.budgetUsd)}` : ''}
                      {b.concurrency ? ` · window ${b.concurrency}` : ''}
                    </p>
                  </li>
                ))}
              </ul>
              <LoadMore className="mt-3" list={list} noun={['batch', 'batches']} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}

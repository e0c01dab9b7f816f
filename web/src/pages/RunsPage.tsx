import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ORIGINS } from '@common/origins';
import { listRuns } from '../api/runs';
import { FrameworkBadge, StatusBadge } from '../components/badges';
import { PageHeader } from '../components/PageHeader';
import { RunIdText } from '../components/RunIdText';
import { EmptyState, ErrorState, LoadingState, Spinner } from '../components/states';
import { numeric, TableHead } from '../components/TableHead';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { durationBetween, formatDateTime, formatNumber, formatUsd } from '../lib/format';
import { FRAMEWORKS } from '../lib/frameworks';
import {
  attr,
  conversationOf,
  oneOf,
  RUN_KINDS,
  RUN_STATUSES,
  runSpend,
  runState,
} from '../lib/runs';
import { pollUnlessError } from '../lib/polling';

const FILTERS = ['type', 'status', 'framework', 'origin'] as const;
const PAGE_SIZE = 25;

function FilterSelect({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: [string, string][];
  onChange: (v: string) => void;
}) {
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RunsPage() {
  useDocumentTitle('Runs');
  const [params, setParams] = useSearchParams();
  // Page tokens of the pages before this one, so "Previous" works with Temporal's forward-only paging.
  const [tokens, setTokens] = useState<string[]>([]);
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const pageToken = tokens[tokens.length - 1];
  const batchId = params.get('batchId') ?? '';

  const runs = useQuery({
    queryKey: ['runs', 'list', filters, batchId, pageToken],
    queryFn: () =>
      listRuns({
        ...filters,
        type: oneOf(RUN_KINDS, filters.type),
        origin: oneOf(ORIGINS, filters.origin),
        status: oneOf(RUN_STATUSES, filters.status),
        framework: oneOf(
          FRAMEWORKS.map((f) => f.id),
          filters.framework,
        ),
        batchId,
        pageSize: PAGE_SIZE,
        nextPageToken: pageToken,
      }),
    refetchInterval: pollUnlessError(3000),
    placeholderData: keepPreviousData,
  });

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setTokens([]);
  };

  return (
    <div>
      <PageHeader
        title="Runs"
        description="Every workflow: stories, chats, context executions and batches. Updates live."
        actions={
          <span className="inline-flex items-center gap-2 text-xs text-slate-500" aria-live="off">
            {runs.isFetching ? (
              <Spinner className="size-3" />
            ) : (
              <span aria-hidden="true" className="size-2 rounded-full bg-green-500" />
            )}{' '}
            Live
          </span>
        }
      />
      <form
        className="card mb-4 grid grid-cols-2 gap-3 p-4 lg:grid-cols-4"
        aria-label="Filter runs"
        onSubmit={(e) => e.preventDefault()}
      >
        <FilterSelect
          id="f-type"
          label="Type"
          value={filters.type}
          options={RUN_KINDS.map((k) => [k, k])}
          onChange={(v) => setFilter('type', v)}
        />
        <FilterSelect
          id="f-status"
          label="Status"
          value={filters.status}
          options={RUN_STATUSES.map((s) => [s, s.replace(/_/g, ' ').toLowerCase()])}
          onChange={(v) => setFilter('status', v)}
        />
        <FilterSelect
          id="f-framework"
          label="Framework"
          value={filters.framework}
          options={FRAMEWORKS.map((f) => [f.id, f.label])}
          onChange={(v) => setFilter('framework', v)}
        />
        <FilterSelect
          id="f-origin"
          label="Origin"
          value={filters.origin}
          options={ORIGINS.map((o) => [o, o])}
          onChange={(v) => setFilter('origin', v)}
        />
      </form>
      {batchId && (
        <p className="mb-4 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          Items of batch <span className="font-mono text-xs">{batchId}</span>
          <button
            type="button"
            className="btn-ghost px-2 py-0.5 text-xs"
            onClick={() => setFilter('batchId', '')}
          >
            Show all runs
          </button>
        </p>
      )}

      {runs.isPending ? (
        <LoadingState label="Loading runs…" />
      ) : runs.isError ? (
        <ErrorState
          error={runs.error}
          title="Could not load runs"
          onRetry={() => void runs.refetch()}
        />
      ) : runs.data.runs.length === 0 ? (
        <EmptyState title="No runs match these filters" icon="▷">
          Generate a story or start a batch to see runs here.
        </EmptyState>
      ) : (
        <div className="card overflow-hidden">
          <div className="overflow-x-auto">
            <table
              className="min-w-full divide-y divide-slate-200 text-sm"
              data-testid="runs-table"
            >
              <caption className="sr-only">Workflow runs</caption>
              <TableHead
                columns={[
                  'Workflow',
                  'Type',
                  'Status',
                  'Framework',
                  'Origin',
                  'Started',
                  numeric('Duration'),
                  numeric('Tokens'),
                  numeric('Cost'),
                ]}
              />
              <tbody className="divide-y divide-slate-100 bg-white">
                {runs.data.runs.map((r) => {
                  const framework = attr(r, 'Framework');
                  const state = runState(r);
                  const spend = runSpend(r);
                  const conversation = conversationOf(r.workflowId);
                  return (
                    <tr key={`${r.workflowId}-${r.runId ?? ''}`} className="hover:bg-slate-50">
                      <td className="max-w-[18rem] px-3 py-2">
                        <Link
                          to={`/runs/${encodeURIComponent(r.workflowId)}`}
                          className="block font-mono text-xs text-indigo-700 underline-offset-2 hover:underline"
                        >
                          <RunIdText id={r.workflowId} />
                        </Link>
                        {conversation !== undefined && (
                          <Link
                            to={`/chat?c=${conversation}`}
                            className="text-xs text-slate-500 hover:text-indigo-700 hover:underline"
                          >
                            open the conversation
                          </Link>
                        )}
                      </td>
                      <td className="px-3 py-2 whitespace-nowrap text-slate-700">
                        {attr(r, 'WorkflowKind') ?? r.type}
                      </td>
                      <td className="px-3 py-2">
                        <StatusBadge status={state.status} hint={state.hint} />
                      </td>
                      <td className="px-3 py-2">
                        {framework ? <FrameworkBadge framework={String(framework)} /> : '—'}
                      </td>
                      <td className="px-3 py-2 text-slate-600">{attr(r, 'Origin') ?? '—'}</td>
                      <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                        {formatDateTime(r.startTime)}
                      </td>
                      <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                        {durationBetween(r.startTime, r.closeTime)}
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">
                        {formatNumber(spend.tokens)}
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">
                        {formatUsd(spend.costUsd)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <nav
            aria-label="Run pages"
            className="flex items-center justify-between border-t border-slate-200 px-3 py-2"
          >
            <button
              type="button"
              className="btn-secondary py-1"
              disabled={tokens.length === 0}
              onClick={() => setTokens((t) => t.slice(0, -1))}
            >
              Previous
            </button>
            <span className="text-xs text-slate-500">Page {tokens.length + 1}</span>
            <button
              type="button"
              className="btn-secondary py-1"
              disabled={!runs.data.nextPageToken}
              onClick={() => {
                const t = runs.data?.nextPageToken;
                if (t) setTokens((ts) => [...ts, t]);
              }}
            >
              Next
            </button>
          </nav>
        </div>
      )}
    </div>
  );
}

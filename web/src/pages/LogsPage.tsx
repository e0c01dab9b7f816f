import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { getLogEntries, listLogFiles } from '../api/logs';
import type { LogEntry, LogPagination } from '../api/types';
import { JsonBlock } from '../components/JsonBlock';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { EmptyState, ErrorState, LoadingState, Spinner } from '../components/states';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { formatDateTimeSeconds, formatNumber } from '../lib/format';
import {
  AUTO_REFRESH_MS,
  DEFAULT_PER_PAGE,
  LOG_LEVELS,
  PER_PAGE_CHOICES,
  entryJson,
  extraFields,
  levelCounts,
  pageList,
} from '../lib/logs';
import { pollUnlessError } from '../lib/polling';
import { oneOf } from '../lib/runs';

const levelStyles: Record<string, { card: string; badge: string }> = {
  debug: { card: 'border-l-slate-400', badge: 'bg-slate-100 text-slate-700' },
  info: { card: 'border-l-blue-500', badge: 'bg-blue-100 text-blue-800' },
  warning: { card: 'border-l-amber-500', badge: 'bg-amber-100 text-amber-800' },
  error: { card: 'border-l-red-500', badge: 'bg-red-100 text-red-800' },
  critical: { card: 'border-l-red-800 bg-red-50', badge: 'bg-red-200 text-red-900' },
};
const otherLevel = { card: 'border-l-slate-300', badge: 'bg-slate-100 text-slate-700' };

/**
 * The log viewer (GET /logs/ redirects here): one page of a log file of the API's log directory,
 * newest first, read from the original's /logs JSON routes. Log lines echo request paths and
 * error messages, so they are rendered as text only.
 */
export function LogsPage() {
  useDocumentTitle('Logs');
  const [params, setParams] = useSearchParams();
  const level = oneOf(LOG_LEVELS, params.get('level')) ?? '';
  const search = params.get('search') ?? '';
  const perPage =
    PER_PAGE_CHOICES.find((n) => n === Number(params.get('per_page'))) ?? DEFAULT_PER_PAGE;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [searchDraft, setSearchDraft] = useState(search);
  const [autoRefresh, setAutoRefresh] = useState(true);

  const refetchInterval = autoRefresh ? pollUnlessError(AUTO_REFRESH_MS) : false;
  const files = useQuery({
    queryKey: ['logs', 'files'],
    queryFn: listLogFiles,
    refetchInterval,
  });
  const fileList = files.data ?? [];
  const wanted = params.get('file');
  // The newest file unless one is chosen and still there (rotation deletes old ones).
  const file = wanted && fileList.includes(wanted) ? wanted : fileList[0];

  const entries = useQuery({
    queryKey: ['logs', 'entries', file, level, search, perPage, page],
    queryFn: () => getLogEntries(file ?? '', { page, per_page: perPage, level, search }),
    enabled: file !== undefined,
    placeholderData: keepPreviousData,
    refetchInterval,
  });

  const update = (patch: Record<string, string | number>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === '' || (k === 'per_page' && v === DEFAULT_PER_PAGE)) next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ search: searchDraft.trim() });
  };

  const refreshNow = () => {
    void files.refetch();
    if (file !== undefined) void entries.refetch();
  };

  const data = entries.data;
  const counts = levelCounts(data?.entries ?? []);
  const updatedAt = Math.max(files.dataUpdatedAt, entries.dataUpdatedAt);

  return (
    <div>
      <PageHeader
        title="Logs"
        description="The API's log files (LOG_FILE_PATH and its rotations), newest entries first."
        actions={
          <>
            <label className="inline-flex items-center gap-1.5 text-sm text-slate-600">
              <input
                type="checkbox"
                className="accent-indigo-600"
                checked={autoRefresh}
                onChange={(e) => setAutoRefresh(e.target.checked)}
              />
              Auto-refresh (30 s)
            </label>
            <button
              type="button"
              className="btn-secondary"
              onClick={refreshNow}
              disabled={files.isFetching || entries.isFetching}
            >
              {files.isFetching || entries.isFetching ? (
                <Spinner />
              ) : (
                <span aria-hidden="true">↻</span>
              )}
              Refresh
            </button>
          </>
        }
      />
      <form
        onSubmit={submit}
        className="card mb-4 grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_2fr_auto_auto] lg:items-end"
        aria-label="Filter log entries"
      >
        <div>
          <label htmlFor="logs-file" className="label">
            Log file
          </label>
          <select
            id="logs-file"
            className="input font-mono"
            value={file ?? ''}
            disabled={fileList.length === 0}
            onChange={(e) => update({ file: e.target.value })}
          >
            {fileList.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="logs-level" className="label">
            Level
          </label>
          <select
            id="logs-level"
            className="input"
            value={level}
            onChange={(e) => update({ level: e.target.value })}
          >
            <option value="">All levels</option>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="logs-search" className="label">
            Search
          </label>
          <input
            id="logs-search"
            type="search"
            className="input"
            placeholder="text, request id, path…"
            maxLength={200}
            value={searchDraft}
            onChange={(e) => setSearchDraft(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="logs-per-page" className="label">
            Per page
          </label>
          <select
            id="logs-per-page"
            className="input"
            value={perPage}
            onChange={(e) => update({ per_page: Number(e.target.value) })}
          >
            {PER_PAGE_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div className="flex gap-2">
          <button type="submit" className="btn-primary">
            Search
          </button>
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              setSearchDraft('');
              update({ search: '', level: '' });
            }}
          >
            Clear
          </button>
        </div>
      </form>

      {data && (
        <dl className="mb-4 grid grid-cols-2 gap-4 lg:grid-cols-5" data-testid="log-stats">
          <StatCard label="Total entries" value={formatNumber(data.pagination.total_entries)} />
          <StatCard
            label="Page"
            value={`${data.pagination.current_page} / ${Math.max(1, data.pagination.total_pages)}`}
          />
          <StatCard label="Errors on page" value={formatNumber(counts.errors)} />
          <StatCard label="Warnings on page" value={formatNumber(counts.warnings)} />
          <StatCard
            label="Last updated"
            value={updatedAt ? new Date(updatedAt).toLocaleTimeString() : '—'}
          />
        </dl>
      )}

      {files.isPending ? (
        <LoadingState label="Loading log files…" />
      ) : files.isError ? (
        <ErrorState
          error={files.error}
          title="Could not list the log files"
          onRetry={() => void files.refetch()}
        />
      ) : file === undefined ? (
        <EmptyState title="No log files" icon="☰">
          File logging is off on this server (LOG_FILE_PATH is empty), or nothing was written yet.
        </EmptyState>
      ) : entries.isPending ? (
        <LoadingState label="Loading log entries…" />
      ) : entries.isError ? (
        <ErrorState
          error={entries.error}
          title="Could not read the log file"
          onRetry={() => void entries.refetch()}
        />
      ) : data && data.entries.length > 0 ? (
        <>
          <ol className="space-y-2" aria-label="Log entries">
            {data.entries.map((e) => (
              <LogEntryCard key={e.line_number} entry={e} />
            ))}
          </ol>
          <Pages pagination={data.pagination} onPage={(p) => update({ page: p })} />
        </>
      ) : (
        <EmptyState title="No entries match" icon="⌕" />
      )}
    </div>
  );
}

function LogEntryCard({ entry }: { entry: LogEntry }) {
  const [open, setOpen] = useState(false);
  const style = levelStyles[entry.level] ?? otherLevel;
  const badges = extraFields(entry);
  return (
    <li
      className={`card border-l-4 px-3 py-2 ${style.card}`}
      data-testid="log-entry"
      data-level={entry.level}
    >
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="font-mono text-xs text-slate-500">
          {entry.timestamp ? formatDateTimeSeconds(entry.timestamp) : `line ${entry.line_number}`}
        </span>
        <span className={`rounded px-1.5 py-0.5 text-xs font-semibold uppercase ${style.badge}`}>
          {entry.level}
        </span>
        {entry.logger && (
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
            {entry.logger}
          </span>
        )}
        <span
          className="min-w-0 flex-1 text-sm font-medium break-words text-slate-900"
          data-testid="log-event"
        >
          {entry.event || '(no message)'}
        </span>
        <button
          type="button"
          className="btn-ghost px-2 py-0.5 text-xs"
          aria-expanded={open}
          title="Show the whole entry as JSON"
          onClick={() => setOpen((o) => !o)}
        >
          {'{ }'} JSON
        </button>
      </div>
      {badges.length > 0 && (
        <div className="mt-1 flex flex-wrap gap-1">
          {badges.map((b) => (
            <span
              key={b}
              className="rounded bg-slate-50 px-1.5 py-0.5 font-mono text-xs break-all text-slate-600 ring-1 ring-slate-200"
            >
              {b}
            </span>
          ))}
        </div>
      )}
      {open && (
        <div className="mt-2">
          <JsonBlock value={entryJson(entry)} label={`Log entry, line ${entry.line_number}`} />
        </div>
      )}
    </li>
  );
}

function Pages({
  pagination: p,
  onPage,
}: {
  pagination: LogPagination;
  onPage: (page: number) => void;
}) {
  if (p.total_pages <= 1) return null;
  return (
    <nav aria-label="Log pages" className="mt-4 flex flex-wrap items-center justify-center gap-1">
      <button
        type="button"
        className="btn-secondary py-1"
        disabled={p.previous_page === null}
        onClick={() => p.previous_page !== null && onPage(p.previous_page)}
      >
        ‹ Previous
      </button>
      {pageList(p.current_page, p.total_pages).map((n, i) =>
        n === 0 ? (
          <span key={`gap-${i}`} className="px-1 text-slate-400">
            …
          </span>
        ) : (
          <button
            key={n}
            type="button"
            className={n === p.current_page ? 'btn-primary py-1' : 'btn-secondary py-1'}
            aria-current={n === p.current_page ? 'page' : undefined}
            onClick={() => onPage(n)}
          >
            {n}
          </button>
        ),
      )}
      <button
        type="button"
        className="btn-secondary py-1"
        disabled={p.next_page === null}
        onClick={() => p.next_page !== null && onPage(p.next_page)}
      >
        Next ›
      </button>
    </nav>
  );
}

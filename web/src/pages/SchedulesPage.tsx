import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/errors';
import {
  deleteSchedule,
  getSchedule,
  listSchedules,
  pauseSchedule,
  resumeSchedule,
  triggerSchedule,
} from '../api/schedules';
import type { ScheduleListItem } from '../api/types';
import { StatusBadge } from '../components/badges';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { ScheduleCreateForm } from '../components/ScheduleCreateForm';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useToast } from '../hooks/toast-context';
import { formatDateTime, formatNumber } from '../lib/format';
import { pollUnlessError } from '../lib/polling';

/** A schedule as this page shows it: the list's fields, and the batches running now when known. */
type Shown = ScheduleListItem & { runningBatches?: string[] };

/** What the page keeps of an answer (a detail carries more than a list item). */
const shown = (s: ScheduleListItem & { runningBatches?: string[] }): Shown => ({
  scheduleId: s.scheduleId,
  cron: s.cron,
  every: s.every,
  label: s.label,
  totalItems: s.totalItems,
  paused: s.paused,
  note: s.note,
  nextRunAt: s.nextRunAt,
  recentBatches: s.recentBatches,
  links: s.links,
  runningBatches: s.runningBatches,
});

/** Until the list has caught up with a change made here, the change's answer is newer. */
const caughtUp = (listed: ScheduleListItem, mine: Shown) =>
  listed.paused === mine.paused && listed.recentBatches.length >= mine.recentBatches.length;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Recurring batches. The API lists schedules from Temporal's visibility, which catches up a
 * moment after a change: what this page changed itself (created, paused, deleted) it shows at
 * once from the answers, until the list agrees.
 */
export function SchedulesPage() {
  useDocumentTitle('Schedules');
  const toast = useToast();
  const qc = useQueryClient();
  const [changed, setChanged] = useState<Record<string, Shown | 'deleted'>>({});
  const schedules = useQuery({
    queryKey: ['schedules', 'list'],
    queryFn: listSchedules,
    refetchInterval: pollUnlessError(5000),
  });

  const listed = schedules.data?.schedules ?? [];
  const mine = Object.entries(changed).flatMap(([id, c]) =>
    c !== 'deleted' && !listed.some((l) => l.scheduleId === id) ? [c] : [],
  );
  const rows: Shown[] = [...mine, ...listed]
    .filter((s) => changed[s.scheduleId] !== 'deleted')
    .map((s) => {
      const c = changed[s.scheduleId];
      return c && c !== 'deleted' && !caughtUp(s, c) ? { ...s, ...c } : s;
    });

  const remember = (s: Shown | 'deleted', id: string) =>
    setChanged((old) => ({ ...old, [id]: s === 'deleted' ? s : shown(s) }));

  /** A triggered batch shows in the schedule's description a moment later: wait for it there. */
  const afterTrigger = async (id: string, before: number) => {
    for (let i = 0; i < 15; i++) {
      const d = await getSchedule(id);
      if (d.recentBatches.length > before || d.runningBatches.length > 0) return remember(d, id);
      await pause(1000);
    }
  };

  const act = useMutation({
    mutationFn: async (a: { id: string; action: 'pause' | 'resume' | 'trigger' | 'delete' }) => {
      if (a.action === 'pause') remember(await pauseSchedule(a.id), a.id);
      else if (a.action === 'resume') remember(await resumeSchedule(a.id), a.id);
      else if (a.action === 'trigger') {
        const before = rows.find((r) => r.scheduleId === a.id)?.recentBatches.length ?? 0;
        await triggerSchedule(a.id);
        void afterTrigger(a.id, before).catch(() => {});
      } else {
        await deleteSchedule(a.id);
        remember('deleted', a.id);
      }
    },
    onSuccess: (_r, a) => {
      toast.success(
        {
          pause: `Schedule ${a.id} paused: no new batches until it is resumed`,
          resume: `Schedule ${a.id} resumed`,
          trigger: `Schedule ${a.id}: a batch was started`,
          delete: `Schedule ${a.id} deleted`,
        }[a.action],
      );
      void qc.invalidateQueries({ queryKey: ['schedules'] });
      if (a.action === 'trigger') void qc.invalidateQueries({ queryKey: ['batches'] });
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  return (
    <div>
      <PageHeader
        title="Schedules"
        description="Recurring batches: a Temporal Schedule starts a new batch at each time. A batch still running at the next time is not doubled (that run is skipped)."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,26rem)_1fr]">
        <ScheduleCreateForm onCreated={(s) => remember(s, s.scheduleId)} />
        {/* On a phone the list comes first: it is what a daily visit is for. */}
        <section aria-labelledby="schedule-list-title" className="order-first lg:order-none">
          <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="schedule-list-title" className="text-base font-semibold text-slate-900">
              Schedules{schedules.data && ` (${rows.length})`}
            </h2>
            <Link
              className="text-sm text-indigo-700 hover:underline"
              to="/runs?type=batch&origin=schedule"
            >
              Every scheduled batch run →
            </Link>
          </div>
          {schedules.isPending ? (
            <LoadingState label="Loading schedules…" />
          ) : schedules.isError ? (
            <ErrorState
              error={schedules.error}
              title="Could not load schedules"
              onRetry={() => void schedules.refetch()}
            />
          ) : rows.length === 0 ? (
            <EmptyState title="No schedules yet" icon="↻">
              Create one with the form.
            </EmptyState>
          ) : (
            <ul className="space-y-3" data-testid="schedule-list">
              {rows.map((s) => (
                <ScheduleCard
                  key={s.scheduleId}
                  s={s}
                  busy={act.isPending && act.variables.id === s.scheduleId}
                  onAction={(action) => act.mutateAsync({ id: s.scheduleId, action })}
                />
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function ScheduleCard({
  s,
  busy,
  onAction,
}: {
  s: Shown;
  busy: boolean;
  onAction: (a: 'pause' | 'resume' | 'trigger' | 'delete') => Promise<unknown>;
}) {
  const items = s.totalItems === null ? 'its' : formatNumber(s.totalItems);
  return (
    <li className="card p-4" data-testid="schedule-item" data-schedule-id={s.scheduleId}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="font-medium break-words text-slate-900">{s.label || s.scheduleId}</h3>
          {s.label && <p className="font-mono text-xs break-all text-slate-500">{s.scheduleId}</p>}
        </div>
        <StatusBadge status={s.paused ? 'PAUSED' : 'ACTIVE'} />
      </div>
      <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
        <div>
          <dt className="text-slate-500">When</dt>
          <dd className="font-mono text-slate-800">{s.cron ?? `every ${s.every ?? '—'}`}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Items per batch</dt>
          <dd className="text-slate-800">{formatNumber(s.totalItems)}</dd>
        </div>
        <div className="col-span-2">
          <dt className="text-slate-500">Next run</dt>
          <dd className="text-slate-800" data-testid="schedule-next-run">
            {s.paused ? 'paused' : formatDateTime(s.nextRunAt)}
          </dd>
        </div>
      </dl>
      {s.note && <p className="mt-2 text-xs text-slate-500">Note: {s.note}</p>}
      <div className="mt-3">
        <h4 className="text-xs font-semibold text-slate-600">Its batches</h4>
        {s.runningBatches && s.runningBatches.length > 0 && (
          <p className="text-xs text-slate-600">
            Running now:{' '}
            {s.runningBatches.map((id) => (
              <Link
                key={id}
                className="mr-2 font-mono break-all text-indigo-700 hover:underline"
                to={`/batches/${encodeURIComponent(id)}`}
              >
                {id}
              </Link>
            ))}
          </p>
        )}
        {s.recentBatches.length === 0 ? (
          <p className="text-xs text-slate-500">None yet.</p>
        ) : (
          <ul className="mt-1 space-y-0.5 text-xs" data-testid="schedule-batches">
            {s.recentBatches.map((b) => (
              <li key={b.batchId} className="flex min-w-0 gap-2">
                <span className="shrink-0 text-slate-500">{formatDateTime(b.startedAt)}</span>
                <Link
                  className="min-w-0 truncate font-mono text-indigo-700 hover:underline"
                  to={`/batches/${encodeURIComponent(b.batchId)}`}
                >
                  {b.batchId}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        {s.paused ? (
          <button
            type="button"
            className="btn-primary py-1"
            disabled={busy}
            onClick={() => void onAction('resume').catch(() => {})}
          >
            Resume
          </button>
        ) : (
          <button
            type="button"
            className="btn-secondary py-1"
            disabled={busy}
            onClick={() => void onAction('pause').catch(() => {})}
          >
            Pause
          </button>
        )}
        <ConfirmButton
          tone="primary"
          className="btn-secondary py-1"
          title="Start a batch now?"
          message={`A batch of ${items} items starts now, outside the schedule's times, and is charged like any other.`}
          confirmLabel="Start a batch now"
          dismissLabel="Go back"
          disabled={busy}
          onConfirm={() => onAction('trigger')}
        >
          Run now
        </ConfirmButton>
        <ConfirmButton
          className="btn-ghost py-1 text-red-600 hover:bg-red-50"
          title={`Delete schedule ${s.scheduleId}?`}
          message="No more batches start from it. Batches it already started keep running and stay listed."
          confirmLabel="Delete schedule"
          dismissLabel="Keep it"
          disabled={busy}
          onConfirm={() => onAction('delete')}
        >
          Delete
        </ConfirmButton>
      </div>
    </li>
  );
}

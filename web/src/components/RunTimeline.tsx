import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { getRunHistory } from '../api/runs';
import type { TimelineActivity, TimelineChild, TimelineEvent } from '../api/types';
import { formatMs, formatUsd } from '../lib/format';
import { eventLabel, eventTone, msBetween, type EventTone } from '../lib/history';
import { StatusBadge } from './badges';
import { RunIdText } from './RunIdText';
import { EmptyState, ErrorState, LoadingState } from './states';

const dot: Record<EventTone, string> = {
  ok: 'bg-green-500',
  fail: 'bg-red-500',
  warn: 'bg-amber-500',
  info: 'bg-indigo-500',
  muted: 'bg-slate-300',
};

function ActivityRow({ a }: { a: TimelineActivity }) {
  return (
    <li className="rounded-md border border-slate-200 p-3" data-testid="timeline-activity">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm font-medium text-slate-800">{a.activityType}</span>
        <StatusBadge status={a.status} />
        <span className="text-xs text-slate-500">
          attempt {a.attempt ?? '—'}
          {a.maximumAttempts ? ` of ${a.maximumAttempts}` : ''}
          {a.retries > 0 && (
            <span className="ml-1 font-medium text-amber-700">
              ({a.retries} retr{a.retries === 1 ? 'y' : 'ies'})
            </span>
          )}
        </span>
        <span className="ml-auto text-xs text-slate-500 tabular-nums">
          {a.durationMs !== null ? `took ${formatMs(a.durationMs)}` : 'running'}
          {a.lastAttemptMs !== null && a.retries > 0
            ? ` · last attempt ${formatMs(a.lastAttemptMs)}`
            : ''}
        </span>
      </div>
      {a.previousFailure && (
        <p className="mt-1 text-xs break-words text-amber-800">
          Retried after: {a.previousFailure}
        </p>
      )}
      {a.failure && (
        <p className="mt-1 text-xs break-words text-red-700">
          {a.failure}
          {a.retryState ? ` (${a.retryState})` : ''}
        </p>
      )}
      {a.llmAttempts && a.llmAttempts.length > 0 && (
        <ul className="mt-2 flex flex-wrap gap-1.5" aria-label={`LLM calls of ${a.activityType}`}>
          {a.llmAttempts.map((x, i) => (
            <li
              key={`${x.attempt}-${x.callIndex ?? i}`}
              className={`rounded px-1.5 py-0.5 text-[11px] ${x.outcome === 'success' ? 'bg-green-50 text-green-800' : 'bg-red-50 text-red-800'}`}
              title={x.errorMessage ?? undefined}
            >
              #{x.attempt}
              {x.step ? ` ${x.step}` : ''} · {x.outcome}
              {x.errorType ? ` (${x.errorType})` : ''} · {formatMs(x.latencyMs)} ·{' '}
              {formatUsd(x.costUsd)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function ChildRow({ c }: { c: TimelineChild }) {
  return (
    <li className="flex flex-wrap items-center gap-2 py-1.5 text-sm">
      <Link
        to={`/runs/${encodeURIComponent(c.workflowId)}`}
        className="min-w-0 font-mono text-xs text-indigo-700 hover:underline"
      >
        <RunIdText id={c.workflowId} />
      </Link>
      <StatusBadge status={c.status} />
      <span className="ml-auto text-xs text-slate-500 tabular-nums">
        {c.durationMs !== null ? formatMs(c.durationMs) : ''}
      </span>
      {c.failure && <span className="w-full truncate text-xs text-red-700">{c.failure}</span>}
    </li>
  );
}

/** Long histories show their start and their end; the middle opens a page at a time. */
const EVENTS_HEAD = 20;
const EVENTS_TAIL = 20;
const EVENTS_PAGE = 100;
const ACTIVITIES_SHOWN = 10;

function EventRow({
  e,
  start,
  last,
}: {
  e: TimelineEvent;
  start: string | null | undefined;
  last: boolean;
}) {
  const tone = eventTone(e.type);
  const off = msBetween(start, e.time);
  return (
    <li
      className={`relative flex gap-3 pb-3 ${tone === 'muted' ? 'opacity-60' : ''}`}
      data-testid="timeline-event"
      data-event-type={e.type}
    >
      {!last && (
        <span aria-hidden="true" className="absolute top-3 left-[5px] h-full w-px bg-slate-200" />
      )}
      <span
        aria-hidden="true"
        className={`relative mt-1.5 size-[11px] shrink-0 rounded-full ring-2 ring-white ${dot[tone]}`}
      />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline gap-x-2">
          <span className="text-xs text-slate-400 tabular-nums">#{e.eventId}</span>
          <span
            className={`text-sm font-medium ${tone === 'fail' ? 'text-red-700' : 'text-slate-800'}`}
          >
            {eventLabel(e.type)}
          </span>
          {off !== undefined && (
            <span className="text-xs text-slate-400 tabular-nums">+{formatMs(off)}</span>
          )}
        </div>
        {e.summary && (
          <p
            className={`mt-0.5 text-xs break-words ${tone === 'fail' ? 'text-red-700' : 'text-slate-500'}`}
          >
            {e.summary}
          </p>
        )}
      </div>
    </li>
  );
}

function EventList({ events }: { events: TimelineEvent[] }) {
  const start = events[0]?.time;
  const [head, setHead] = useState(EVENTS_HEAD);
  const hidden = Math.max(0, events.length - head - EVENTS_TAIL);
  const shown = hidden > 0 ? [...events.slice(0, head), ...events.slice(-EVENTS_TAIL)] : events;
  const key = (e: TimelineEvent, i: number) => `${e.eventId}-${i}`;
  return (
    <ol className="relative" data-testid="run-timeline" aria-label="Event history">
      {shown.map((e, i) => (
        <Fragment key={key(e, i)}>
          {hidden > 0 && i === head && (
            <li className="mb-3 ml-6 flex flex-wrap items-center gap-2 rounded-md border border-dashed border-slate-300 p-2 text-xs text-slate-600">
              <span data-testid="timeline-hidden">{hidden} events hidden</span>
              <button
                type="button"
                className="btn-secondary px-2 py-1 text-xs"
                onClick={() => setHead((h) => h + EVENTS_PAGE)}
              >
                Show {Math.min(EVENTS_PAGE, hidden)} more
              </button>
              <button
                type="button"
                className="btn-ghost px-2 py-1 text-xs"
                onClick={() => setHead(events.length)}
              >
                Show all {events.length}
              </button>
            </li>
          )}
          <EventRow e={e} start={start} last={i === shown.length - 1} />
        </Fragment>
      ))}
    </ol>
  );
}

/**
 * The run's history: activities (attempts, retries, durations, failures), children, then every
 * event. It is fetched again when the run's history grows (the page's run poll reports its
 * length), not on a timer of its own: a second poll would double the page's requests and use
 * up the per-client rate limit of an operator watching a long run.
 */
export function RunTimeline({
  workflowId,
  historyLength,
}: {
  workflowId: string;
  historyLength: number;
}) {
  const [verbose, setVerbose] = useState(false);
  const [allActivities, setAllActivities] = useState(false);
  const q = useQuery({
    queryKey: ['runs', 'history', workflowId, verbose, historyLength],
    queryFn: () => getRunHistory(workflowId, verbose),
    placeholderData: keepPreviousData,
  });
  if (q.isPending) return <LoadingState label="Loading event history…" />;
  if (q.isError)
    return (
      <ErrorState
        error={q.error}
        title="Could not load the event history"
        onRetry={() => void q.refetch()}
      />
    );
  const h = q.data;
  return (
    <div className="space-y-6">
      {h.activities.length > 0 && (
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-700">
            Activities ({h.activities.length})
          </h3>
          <ul className="space-y-2">
            {(allActivities ? h.activities : h.activities.slice(0, ACTIVITIES_SHOWN)).map((a) => (
              <ActivityRow key={`${a.activityId}-${a.scheduledAt ?? ''}`} a={a} />
            ))}
          </ul>
          {!allActivities && h.activities.length > ACTIVITIES_SHOWN && (
            <button
              type="button"
              className="btn-secondary mt-2 px-2 py-1 text-xs"
              onClick={() => setAllActivities(true)}
            >
              Show all {h.activities.length} activities
            </button>
          )}
        </div>
      )}
      {h.children.length > 0 && (
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-700">
            Child workflows ({h.children.length})
          </h3>
          <ul className="max-h-72 divide-y divide-slate-100 overflow-y-auto">
            {h.children.map((c) => (
              <ChildRow key={c.workflowId} c={c} />
            ))}
          </ul>
        </div>
      )}
      <div>
        <div className="mb-2 flex items-center justify-between gap-2">
          <h3 className="text-sm font-semibold text-slate-700">
            Events <span className="font-normal text-slate-400">({h.eventCount} in history)</span>
          </h3>
          <label className="inline-flex items-center gap-1.5 text-xs text-slate-600">
            <input
              type="checkbox"
              className="accent-indigo-600"
              checked={verbose}
              onChange={(e) => setVerbose(e.target.checked)}
            />
            Show workflow tasks
          </label>
        </div>
        {h.events.length === 0 ? (
          <EmptyState title="No events yet" icon="⋯" />
        ) : (
          <EventList events={h.events} />
        )}
      </div>
    </div>
  );
}

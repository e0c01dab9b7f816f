import { frameworkInfo } from '../lib/frameworks';

export function FrameworkBadge({ framework }: { framework: string | null | undefined }) {
  const f = frameworkInfo(framework);
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${f?.badge ?? 'bg-slate-100 text-slate-700'}`}
    >
      {f?.label ?? framework ?? 'Unknown'}
    </span>
  );
}

const statusStyles: Record<string, string> = {
  RUNNING: 'bg-blue-100 text-blue-800 ring-blue-600/20',
  OPEN: 'bg-sky-50 text-sky-800 ring-sky-600/20',
  CLOSED: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  COMPLETED: 'bg-green-100 text-green-800 ring-green-600/20',
  SUCCEEDED: 'bg-green-100 text-green-800 ring-green-600/20',
  SUCCESS: 'bg-green-100 text-green-800 ring-green-600/20',
  OK: 'bg-green-100 text-green-800 ring-green-600/20',
  FAILED: 'bg-red-100 text-red-800 ring-red-600/20',
  ERROR: 'bg-red-100 text-red-800 ring-red-600/20',
  TIMED_OUT: 'bg-orange-100 text-orange-800 ring-orange-600/20',
  CANCELLED: 'bg-slate-200 text-slate-700 ring-slate-500/20',
  CANCELED: 'bg-slate-200 text-slate-700 ring-slate-500/20',
  TERMINATED: 'bg-slate-200 text-slate-700 ring-slate-500/20',
  PAUSED: 'bg-amber-100 text-amber-800 ring-amber-600/20',
  ACTIVE: 'bg-green-100 text-green-800 ring-green-600/20',
  PENDING: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  LOST: 'bg-orange-100 text-orange-800 ring-orange-600/20',
  QUEUED: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  PROCESSING: 'bg-blue-100 text-blue-800 ring-blue-600/20',
  CONTINUED_AS_NEW: 'bg-indigo-100 text-indigo-800 ring-indigo-600/20',
  RETRY: 'bg-amber-100 text-amber-800 ring-amber-600/20',
  RETRIED: 'bg-amber-100 text-amber-800 ring-amber-600/20',
  BUDGET_EXCEEDED: 'bg-orange-100 text-orange-800 ring-orange-600/20',
};

/** Status of a run, batch, item, execution or attempt; any case, any spelling. */
export function StatusBadge({
  status,
  hint,
}: {
  status: string | null | undefined;
  hint?: string;
}) {
  const key = (status ?? 'UNKNOWN').toUpperCase().replace(/[\s-]+/g, '_');
  const running = key === 'RUNNING' || key === 'PROCESSING';
  return (
    <span
      data-status={key}
      title={hint}
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${statusStyles[key] ?? 'bg-slate-100 text-slate-700 ring-slate-500/20'}`}
    >
      {running && (
        <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-current" />
      )}
      {key.replace(/_/g, ' ').toLowerCase()}
    </span>
  );
}

const kindStyles: Record<string, string> = {
  story: 'bg-purple-100 text-purple-800',
  chat: 'bg-blue-100 text-blue-800',
  context: 'bg-green-100 text-green-800',
};

export function KindBadge({ kind }: { kind: string }) {
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${kindStyles[kind] ?? 'bg-slate-100 text-slate-700'}`}
    >
      {kind}
    </span>
  );
}

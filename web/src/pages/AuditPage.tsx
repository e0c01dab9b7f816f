import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { listAudit } from '../api/audit';
import type { AuditOutcome } from '../api/types';
import { AttemptsTable } from '../components/AttemptsTable';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { formatMs, formatNumber, formatUsd } from '../lib/format';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { FRAMEWORKS } from '../lib/frameworks';
import { pollUnlessError } from '../lib/polling';
import { oneOf } from '../lib/runs';

const LIMIT = 50;
// pending: the call is in flight; lost: its worker died mid-call (it may have been billed).
const OUTCOMES: readonly AuditOutcome[] = ['success', 'error', 'pending', 'lost'];

export function AuditPage() {
  useDocumentTitle('Audit');
  const [params, setParams] = useSearchParams();
  const workflowId = params.get('workflowId') ?? '';
  const framework = params.get('framework') ?? '';
  const outcome = params.get('outcome') ?? '';
  const skip = Math.max(0, Number(params.get('skip') ?? 0) || 0);
  const [wfDraft, setWfDraft] = useState(workflowId);

  const q = useQuery({
    queryKey: ['audit', workflowId, framework, outcome, skip],
    queryFn: () =>
      listAudit({
        workflowId,
        framework: oneOf(
          FRAMEWORKS.map((f) => f.id),
          framework,
        ),
        outcome: oneOf(OUTCOMES, outcome),
        skip,
        limit: LIMIT,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: pollUnlessError(5000),
  });

  const update = (patch: Record<string, string | number>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === '' || v === 0) next.delete(k);
      else next.set(k, String(v));
    }
    if (!('skip' in patch)) next.delete('skip');
    setParams(next, { replace: true });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ workflowId: wfDraft.trim() });
  };

  const items = q.data?.items ?? [];
  const totals = q.data?.totals;
  const total = q.data?.total;
  const hasNext = total !== undefined ? skip + LIMIT < total : items.length === LIMIT;

  return (
    <div>
      <PageHeader
        title="Audit"
        description="One row per LLM call attempt: retries, failures, tokens and cost, as the audit trail recorded them."
      />
      <form
        onSubmit={submit}
        className="card mb-4 grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_auto] lg:items-end"
        aria-label="Filter attempts"
      >
        <div>
          <label htmlFor="audit-wf" className="label">
            Workflow ID
          </label>
          <input
            id="audit-wf"
            className="input font-mono"
            placeholder="story-…"
            value={wfDraft}
            onChange={(e) => setWfDraft(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="audit-fw" className="label">
            Framework
          </label>
          <select
            id="audit-fw"
            className="input"
            value={framework}
            onChange={(e) => update({ framework: e.target.value })}
          >
            <option value="">All</option>
            {FRAMEWORKS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-outcome" className="label">
            Outcome
          </label>
          <select
            id="audit-outcome"
            className="input"
            value={outcome}
            onChange={(e) => update({ outcome: e.target.value })}
          >
            <option value="">All</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-primary">
          Apply
        </button>
      </form>

      {totals && (
        <dl className="mb-4 grid grid-cols-2 gap-4 lg:grid-cols-5" data-testid="audit-totals">
          <StatCard label="Attempts" value={formatNumber(totals.attempts)} />
          <StatCard
            label="Failed"
            value={formatNumber(totals.byOutcome?.error ?? 0)}
            hint={
              Object.entries(totals.byErrorType ?? {})
                .map(([k, v]) => `${k}: ${v}`)
                .join(', ') || undefined
            }
          />
          <StatCard label="Tokens" value={formatNumber(totals.totalTokens)} />
          <StatCard
            label="Cost"
            value={formatUsd(totals.costUsd)}
            hint={
              totals.billedErrors?.attempts
                ? `${formatUsd(totals.billedErrors.costUsd)} on ${totals.billedErrors.attempts} billed failures`
                : undefined
            }
          />
          <StatCard label="Avg latency" value={formatMs(totals.averageLatencyMs)} />
        </dl>
      )}
      {q.isPending ? (
        <LoadingState label="Loading attempts…" />
      ) : q.isError ? (
        <ErrorState
          error={q.error}
          title="Could not load the audit trail"
          onRetry={() => void q.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState title="No attempts match these filters" icon="⌕" />
      ) : (
        <div className="card overflow-hidden">
          <AttemptsTable attempts={items} showWorkflow />
          <nav
            aria-label="Audit pages"
            className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-sm"
          >
            <button
              type="button"
              className="btn-secondary py-1"
              disabled={skip === 0}
              onClick={() => update({ skip: Math.max(0, skip - LIMIT) })}
            >
              Previous
            </button>
            <span className="text-xs text-slate-500">
              {skip + 1}–{skip + items.length}
              {total !== undefined ? ` of ${total}` : ''}
            </span>
            <button
              type="button"
              className="btn-secondary py-1"
              disabled={!hasNext}
              onClick={() => update({ skip: skip + LIMIT })}
            >
              Next
            </button>
          </nav>
        </div>
      )}
    </div>
  );
}

import type { ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../api/errors';
import { cancelRun, getRun, rerunRun } from '../api/runs';
import type { RunDetail } from '../api/types';
import { getUiConfig, temporalRunUrl } from '../api/system';
import { AttemptsTable } from '../components/AttemptsTable';
import { FrameworkBadge, StatusBadge } from '../components/badges';
import { ConfirmButton } from '../components/ConfirmButton';
import { JsonBlock } from '../components/JsonBlock';
import { MetaList } from '../components/MetaList';
import { RunTimeline } from '../components/RunTimeline';
import { ErrorState, LoadingState } from '../components/states';
import { StatCard } from '../components/StatCard';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useToast } from '../hooks/toast-context';
import { durationBetween, formatDateTime, formatNumber, formatUsd } from '../lib/format';
import { pollWhileOpen } from '../lib/polling';
import { attr, isOpen, runState } from '../lib/runs';

/** What a re-run starts and what it may cost: the words of its confirmation. */
function rerunWords(r: RunDetail, cost: string | number | null | undefined): string {
  const input = r.input ?? {};
  const paid = cost === undefined || cost === null ? '' : ` This run cost ${formatUsd(cost)}.`;
  if (r.type === 'batchWorkflow') {
    const items = typeof input.totalItems === 'number' ? formatNumber(input.totalItems) : 'all its';
    return `A new batch with the same ${items} items starts now and is charged again.${paid} This batch stays as it is.`;
  }
  return `A new story with the same characters and framework is generated now (more LLM calls).${paid}`;
}

/** Workflows the API can start again with the same input. */
const RERUNNABLE = ['storyWorkflow', 'batchWorkflow'];

export function RunDetailPage() {
  const { workflowId = '' } = useParams();
  useDocumentTitle(`Run ${workflowId}`);
  const toast = useToast();
  const qc = useQueryClient();
  const navigate = useNavigate();

  const run = useQuery({
    queryKey: ['runs', 'detail', workflowId],
    queryFn: () => getRun(workflowId),
    refetchInterval: pollWhileOpen(2000, (r: RunDetail) => isOpen(r.status)),
  });
  const ui = useQuery({
    queryKey: ['ui-config'],
    queryFn: getUiConfig,
    staleTime: Infinity,
    retry: false,
  });

  const cancel = useMutation({
    mutationFn: () => cancelRun(workflowId),
    onSuccess: () => {
      toast.success('Cancellation requested');
      void qc.invalidateQueries({ queryKey: ['runs'] });
    },
    onError: (err) => toast.error(errorMessage(err)),
  });
  const rerun = useMutation({
    mutationFn: () => rerunRun(workflowId),
    onSuccess: (r) => {
      toast.success('Started a new run with the same input');
      void qc.invalidateQueries({ queryKey: ['runs'] });
      if (r.workflowId) void navigate(`/runs/${encodeURIComponent(r.workflowId)}`);
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  if (run.isPending) return <LoadingState label="Loading run…" />;
  if (run.isError) {
    return (
      <div className="space-y-4">
        <Link to="/runs" className="text-sm text-indigo-600 hover:underline">
          ← All runs
        </Link>
        <ErrorState
          error={run.error}
          title={`Could not load run ${workflowId}`}
          onRetry={() => void run.refetch()}
        />
      </div>
    );
  }

  const r = run.data;
  const open = isOpen(r.status);
  const temporalUrl = temporalRunUrl(ui.data, r.workflowId);
  const audited = r.cost?.audited;
  const attemptCost = r.attempts.reduce((sum, a) => sum + (Number(a.costUsd) || 0), 0);
  const attemptTokens = r.attempts.reduce(
    (sum, a) => sum + (a.inputTokens ?? 0) + (a.outputTokens ?? 0),
    0,
  );
  const failedAttempts =
    audited?.errors ?? r.attempts.filter((a) => a.outcome !== 'success').length;
  const cost = r.cost?.costUsd ?? attr(r, 'CostUsd') ?? audited?.costUsd ?? attemptCost;
  const tokens =
    r.cost?.totalTokens ?? attr(r, 'TotalTokens') ?? audited?.totalTokens ?? attemptTokens;
  const framework = attr(r, 'Framework');
  const batchRun = r.type === 'batchWorkflow';
  // A batch's own run, or one of its items: the way back to the batch's page.
  const batchId = batchRun ? r.workflowId : attr(r, 'BatchId');

  return (
    <div className="space-y-6">
      <div>
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <Link to="/runs" className="text-indigo-600 hover:underline">
            ← All runs
          </Link>
          {batchId !== undefined && (
            <Link
              to={`/batches/${encodeURIComponent(String(batchId))}`}
              className="text-indigo-600 hover:underline"
              data-testid="batch-page-link"
            >
              {batchRun ? 'This batch’s page' : 'The batch of this item'} →
            </Link>
          )}
        </p>
        <div className="mt-2 flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0">
            <h1 className="flex flex-wrap items-center gap-2 text-xl font-bold text-slate-900">
              <span className="font-mono text-lg break-all">{r.workflowId}</span>
              <StatusBadge {...runState(r)} />
            </h1>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
              <span>{r.type}</span>
              {framework && <FrameworkBadge framework={String(framework)} />}
              {r.summary && <span>· {r.summary}</span>}
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            {temporalUrl && (
              <a
                className="btn-secondary"
                href={temporalUrl}
                target="_blank"
                rel="noreferrer"
                data-testid="temporal-ui-link"
              >
                Open in Temporal UI <span aria-hidden="true">↗</span>
                <span className="sr-only">(opens in a new tab)</span>
              </a>
            )}
            {open ? (
              <ConfirmButton
                title="Cancel this run?"
                message="The workflow is asked to stop; what it already made (stories, answers, costs) is kept."
                confirmLabel="Cancel the run"
                dismissLabel="Keep it running"
                onConfirm={() => cancel.mutateAsync()}
              >
                Cancel run
              </ConfirmButton>
            ) : (
              RERUNNABLE.includes(r.type) && (
                <ConfirmButton
                  tone="primary"
                  title={batchRun ? 'Start this batch again?' : 'Generate this story again?'}
                  message={rerunWords(r, cost)}
                  confirmLabel={batchRun ? 'Start a new batch' : 'Start a new run'}
                  dismissLabel="Go back"
                  disabled={rerun.isPending}
                  onConfirm={() => rerun.mutateAsync()}
                >
                  Re-run
                </ConfirmButton>
              )
            )}
          </div>
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard
          label="Duration"
          value={durationBetween(r.startTime, r.closeTime)}
          hint={open ? 'still running' : undefined}
        />
        <StatCard
          label="LLM attempts"
          value={formatNumber(audited?.attempts ?? r.attemptCount ?? r.attempts.length)}
          hint={
            failedAttempts ? `${failedAttempts} failed (retried or given up)` : 'no failed attempts'
          }
        />
        <StatCard label="Tokens" value={formatNumber(tokens)} />
        <StatCard
          label="Cost"
          value={formatUsd(cost)}
          hint={
            audited ? `audited, failed attempts included: ${formatUsd(audited.costUsd)}` : undefined
          }
        />
      </dl>

      {r.failure && (
        <div
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800"
        >
          <p className="font-semibold">{r.failure.type ?? 'Failure'}</p>
          <p className="mt-1 break-words">{r.failure.message}</p>
        </div>
      )}

      <div className="grid gap-6 lg:grid-cols-5">
        <section aria-labelledby="timeline-title" className="card p-5 lg:col-span-3">
          <h2 id="timeline-title" className="mb-4 text-base font-semibold text-slate-900">
            Timeline
          </h2>
          <RunTimeline workflowId={r.workflowId} historyLength={r.historyLength} />
        </section>
        <div className="space-y-6 lg:col-span-2">
          <section aria-labelledby="details-title" className="card p-5">
            <h2 id="details-title" className="mb-3 text-base font-semibold text-slate-900">
              Details
            </h2>
            <MetaList
              columns={2}
              items={[
                ['Run ID', r.runId ?? '—'],
                ['Started', formatDateTime(r.startTime)],
                ['Closed', formatDateTime(r.closeTime)],
                ['History events', formatNumber(r.historyLength)],
                ['Task queue', r.taskQueue ?? '—'],
                ...(r.parentWorkflowId
                  ? [
                      [
                        'Parent',
                        <Link
                          key="parent"
                          className="text-indigo-700 hover:underline"
                          to={`/runs/${encodeURIComponent(r.parentWorkflowId)}`}
                        >
                          {r.parentWorkflowId}
                        </Link>,
                      ] as [string, ReactNode],
                    ]
                  : []),
                ...Object.entries(r.searchAttributes ?? {}).map(([k, v]): [string, ReactNode] => [
                  k,
                  Array.isArray(v) ? v.join(', ') : String(v),
                ]),
              ]}
            />
          </section>
          {r.input && (
            <section aria-labelledby="input-title" className="card p-5">
              <h2 id="input-title" className="mb-3 text-base font-semibold text-slate-900">
                Input
              </h2>
              <JsonBlock value={r.input} label="Workflow input" />
            </section>
          )}
          {r.result !== undefined && r.result !== null && (
            <section aria-labelledby="result-title" className="card p-5">
              <h2 id="result-title" className="mb-3 text-base font-semibold text-slate-900">
                Result
              </h2>
              <JsonBlock value={r.result} label="Workflow result" />
            </section>
          )}
        </div>
      </div>

      <section aria-labelledby="attempts-title" className="card overflow-hidden">
        <h2 id="attempts-title" className="px-5 pt-5 pb-3 text-base font-semibold text-slate-900">
          LLM call attempts
        </h2>
        {r.attempts.length > 0 ? (
          <AttemptsTable attempts={r.attempts} />
        ) : audited && audited.attempts > 0 ? (
          <p className="px-5 pb-5 text-sm text-slate-500">
            This run makes no LLM calls itself: its {formatNumber(audited.attempts)} audited
            attempts ({formatUsd(audited.costUsd)}) belong to its child workflows.{' '}
            {r.type === 'batchWorkflow' && (
              <Link
                className="text-indigo-700 hover:underline"
                to={`/runs?type=story&batchId=${encodeURIComponent(r.workflowId)}`}
              >
                See the child runs.
              </Link>
            )}
          </p>
        ) : (
          <p className="px-5 pb-5 text-sm text-slate-500">
            No LLM calls recorded for this run (yet).
          </p>
        )}
      </section>
    </div>
  );
}

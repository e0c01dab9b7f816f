import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { getContextExecution } from '../api/context';
import { formatDateTime, formatMs, formatNumber, formatUsd } from '../lib/format';
import { frameworkInfo } from '../lib/frameworks';
import { StatusBadge } from './badges';
import { CopyButton } from './CopyButton';
import { MetaList } from './MetaList';
import { Modal } from './Modal';
import { ErrorState, LoadingState } from './states';

/** A past context execution in full: what was asked (prompts, files) and the model's answer. */
export function ContextExecutionModal({ id, onClose }: { id: number; onClose: () => void }) {
  const q = useQuery({
    queryKey: ['context', 'execution', id],
    queryFn: () => getContextExecution(id),
  });
  const e = q.data;
  return (
    <Modal
      title={e ? `Execution #${e.id}: ${e.original_filename}` : `Execution #${id}`}
      onClose={onClose}
      size="xl"
      footer={
        e && (
          <>
            {e.llm_response && <CopyButton text={e.llm_response} label="Copy answer" />}
            {e.workflow_id && (
              <Link className="btn-secondary" to={`/runs/${encodeURIComponent(e.workflow_id)}`}>
                View run
              </Link>
            )}
            <button type="button" className="btn-primary" onClick={onClose}>
              Close
            </button>
          </>
        )
      }
    >
      {q.isPending ? (
        <LoadingState label="Loading the execution…" />
      ) : q.isError ? (
        <ErrorState
          error={q.error}
          title="Could not load this execution"
          onRetry={() => void q.refetch()}
        />
      ) : (
        e && (
          <div className="space-y-4" data-testid="context-execution">
            <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
              <StatusBadge status={e.status} />
              <span>{formatDateTime(e.created_at)}</span>
            </div>
            <MetaList
              columns={4}
              items={[
                ['Framework', frameworkInfo(e.method)?.label ?? e.method],
                ['Model', e.model ?? '—'],
                ['Tokens', formatNumber(e.total_tokens)],
                ['Cost', formatUsd(e.estimated_cost_usd)],
                ['Time', formatMs(e.total_execution_time_ms)],
                ['Files', String(e.file_ids.length)],
                ['Transaction ID', e.transaction_guid],
                ['Request ID', e.request_id ?? '—'],
              ]}
            />
            {e.error_message && (
              <p role="alert" className="rounded-md bg-red-50 p-3 text-sm break-words text-red-800">
                {e.error_message}
              </p>
            )}
            <section aria-label="Answer">
              <h3 className="mb-1 text-sm font-semibold text-slate-800">Answer</h3>
              <div
                className="rounded-md border border-slate-200 bg-white p-4 text-sm leading-relaxed break-words whitespace-pre-wrap text-slate-800"
                data-testid="context-execution-answer"
              >
                {e.llm_response ?? 'No answer (the execution did not complete).'}
              </div>
            </section>
            <details className="text-sm">
              <summary className="cursor-pointer font-medium text-slate-700">The prompts</summary>
              <h4 className="mt-2 text-xs font-semibold text-slate-500 uppercase">System prompt</h4>
              <pre className="mt-1 max-h-60 overflow-auto rounded-md bg-slate-50 p-3 text-xs whitespace-pre-wrap">
                {e.system_prompt}
              </pre>
              <h4 className="mt-2 text-xs font-semibold text-slate-500 uppercase">User prompt</h4>
              <pre className="mt-1 max-h-60 overflow-auto rounded-md bg-slate-50 p-3 text-xs whitespace-pre-wrap">
                {e.user_prompt}
              </pre>
            </details>
          </div>
        )
      )}
    </Modal>
  );
}

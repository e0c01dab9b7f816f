import { Link, useSearchParams } from 'react-router';
import { listContextExecutions } from '../api/context';
import { formatDateTime, formatMs, formatNumber, formatUsd } from '../lib/format';
import { frameworkLabel } from '../lib/frameworks';
import { usePagedList } from '../hooks/usePagedList';
import { StatusBadge } from './badges';
import { ContextExecutionModal } from './ContextExecutionModal';
import { LoadMore } from './LoadMore';
import { EmptyState, ErrorState, LoadingState } from './states';
import { numeric, TableHead } from './TableHead';

const PAGE_SIZE = 20;

/** Past executions, failed ones included (with their error). */
export function ContextExecutions() {
  const list = usePagedList(['context', 'executions'], listContextExecutions, PAGE_SIZE);
  const q = list.query;
  // The execution opened to read is in the URL (?execution=12), so it can be linked to.
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get('execution')) || null;
  const open = (id: number | null) =>
    setParams((old) => {
      const next = new URLSearchParams(old);
      if (id === null) next.delete('execution');
      else next.set('execution', String(id));
      return next;
    });
  const { rows, total } = list;
  return (
    <section aria-labelledby="ctx-exec-title" className="card p-5">
      <h2 id="ctx-exec-title" className="mb-3 text-base font-semibold text-slate-900">
        Past executions{total !== undefined && ` (${total})`}
      </h2>
      {q.isPending ? (
        <LoadingState label="Loading executions…" />
      ) : q.isError ? (
        <ErrorState
          error={q.error}
          title="Could not load executions"
          onRetry={() => void q.refetch()}
        />
      ) : rows.length === 0 ? (
        <EmptyState title="No executions yet" icon="▷" />
      ) : (
        <>
          <div className="overflow-x-auto">
            <table
              className="min-w-full divide-y divide-slate-200 text-sm"
              data-testid="context-executions"
            >
              <TableHead
                dense
                columns={[
                  'When',
                  'Files',
                  'Framework',
                  'Status',
                  numeric('Tokens'),
                  numeric('Cost'),
                  numeric('Time'),
                  'Answer',
                  'Run',
                ]}
              />
              <tbody className="divide-y divide-slate-100">
                {rows.map((e) => (
                  <tr key={e.id}>
                    <td className="px-2 py-2 whitespace-nowrap text-slate-600">
                      {formatDateTime(e.created_at)}
                    </td>
                    <td className="max-w-[14rem] px-2 py-2">
                      <span className="block truncate" title={e.original_filename}>
                        {e.original_filename}
                      </span>
                      {e.error_message && (
                        <span
                          className="block truncate text-xs text-red-600"
                          title={e.error_message}
                        >
                          {e.error_message}
                        </span>
                      )}
                    </td>
                    <td className="px-2 py-2 whitespace-nowrap">{frameworkLabel(e.method)}</td>
                    <td className="px-2 py-2">
                      <StatusBadge status={e.status} />
                    </td>
                    <td className="px-2 py-2 text-right tabular-nums">
                      {formatNumber(e.total_tokens)}
                    </td>
                    <td className="px-2 py-2 text-right tabular-nums">
                      {formatUsd(e.estimated_cost_usd)}
                    </td>
                    <td className="px-2 py-2 text-right tabular-nums">
                      {formatMs(e.total_execution_time_ms)}
                    </td>
                    <td className="px-2 py-2">
                      <button
                        type="button"
                        className="text-indigo-600 underline hover:text-indigo-800"
                        onClick={() => open(e.id)}
                        aria-label={`Read the answer of execution ${e.id}`}
                      >
                        Read
                      </button>
                    </td>
                    <td className="px-2 py-2">
                      {e.workflow_id ? (
                        <Link
                          className="text-indigo-600 underline hover:text-indigo-800"
                          to={`/runs/${encodeURIComponent(e.workflow_id)}`}
                        >
                          View
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore className="mt-3" list={list} noun={['execution', 'executions']} />
        </>
      )}
      {openId !== null && <ContextExecutionModal id={openId} onClose={() => open(null)} />}
    </section>
  );
}

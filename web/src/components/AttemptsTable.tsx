import { Link } from 'react-router';
import type { AuditAttempt, RunAttempt } from '../api/types';
import { shortWorkflowId } from '../lib/runs';
import { formatDateTime, formatMs, formatNumber, formatUsd } from '../lib/format';
import { StatusBadge } from './badges';
import { numeric, TableHead } from './TableHead';

/** Every LLM call attempt (the audit rows): retries and failures included. */
export function AttemptsTable({
  attempts,
  showWorkflow,
}: {
  /** A run's attempts, or audit rows (which name their workflow); costs are 6-decimal strings. */
  attempts: (RunAttempt | AuditAttempt)[];
  showWorkflow?: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="attempts-table">
        <TableHead
          columns={[
            'When',
            ...(showWorkflow ? ['Workflow'] : []),
            'Activity',
            'Step',
            numeric('Attempt'),
            'Outcome',
            'Error',
            numeric('Tokens in/out'),
            numeric('Latency'),
            numeric('Cost'),
          ]}
        />
        <tbody className="divide-y divide-slate-100 bg-white">
          {attempts.map((a, i) => (
            <tr
              key={`${a.createdAt}-${i}`}
              className={a.outcome !== 'success' && a.outcome !== 'ok' ? 'bg-red-50/40' : ''}
            >
              <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                {formatDateTime(a.createdAt)}
              </td>
              {showWorkflow && (
                <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">
                  {'workflowId' in a ? (
                    <Link
                      className="text-indigo-700 hover:underline"
                      // The API's link names the run that made the call (a batch's, for an item run as its activity).
                      to={a.links.run.replace(/^\/api\//, '/')}
                      title={a.workflowId}
                    >
                      {shortWorkflowId(a.workflowId, 32)}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
              )}
              <td className="px-3 py-2 font-mono text-xs">{a.activityType}</td>
              <td className="px-3 py-2 whitespace-nowrap text-slate-600">{a.step ?? '—'}</td>
              <td className="px-3 py-2 text-right tabular-nums">{a.attempt}</td>
              <td className="px-3 py-2">
                <StatusBadge status={a.outcome} />
              </td>
              <td className="max-w-[18rem] px-3 py-2 text-xs text-red-700">
                {a.errorType || a.errorMessage ? (
                  <span
                    className="block truncate"
                    title={`${a.errorType ?? ''}${a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}: ${a.errorMessage ?? ''}`}
                  >
                    {a.errorType}
                    {a.httpStatus ? ` (HTTP ${a.httpStatus})` : ''}
                    {a.errorMessage ? `: ${a.errorMessage}` : ''}
                  </span>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </td>
              <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">
                {formatNumber(a.inputTokens)} / {formatNumber(a.outputTokens)}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatMs(a.latencyMs)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatUsd(a.costUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

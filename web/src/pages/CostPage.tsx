import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { clearCostRecords, getCostUsage, getTransactions } from '../api/cost';
import { errorMessage } from '../api/errors';
import { ConfirmButton } from '../components/ConfirmButton';
import { DailyCostChart, FrameworkCostChart, ModelCostChart } from '../components/CostCharts';
import { PageHeader } from '../components/PageHeader';
import { StatCard } from '../components/StatCard';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { numeric, TableHead } from '../components/TableHead';
import { TransactionsTable } from '../components/TransactionsTable';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useToast } from '../hooks/toast-context';
import { daysInRange, MAX_RANGE_DAYS, utcDay } from '../lib/cost';
import { formatNumber, formatUsd } from '../lib/format';

type View = 'summary' | 'transactions';

export function CostPage() {
  useDocumentTitle('Cost Tracking');
  const toast = useToast();
  const qc = useQueryClient();
  // Whole UTC days, both included: what the API counts for ?from=&to=.
  const today = utcDay(new Date());
  // The range and the tab are in the URL (?from=&to=&view=): a reload or a link shows the same.
  const [params, setParams] = useSearchParams();
  const isDay = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v);
  const fromParam = params.get('from');
  const toParam = params.get('to');
  const range = {
    start: isDay(fromParam) ? fromParam : utcDay(new Date(Date.now() - 7 * 86_400_000)),
    end: isDay(toParam) ? toParam : today,
  };
  const view: View = params.get('view') === 'summary' ? 'summary' : 'transactions';
  const setParam = (entries: Record<string, string>) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        for (const [k, v] of Object.entries(entries)) next.set(k, v);
        return next;
      },
      { replace: true },
    );
  const setView = (v: View) => setParam({ view: v });
  const [start, setStart] = useState(range.start);
  const [end, setEnd] = useState(range.end);
  const days = daysInRange(range.start, range.end);
  const query = { from: range.start, to: range.end };

  const usage = useQuery({
    queryKey: ['cost', 'usage', query],
    queryFn: () => getCostUsage(query),
  });
  const txs = useQuery({
    queryKey: ['cost', 'transactions', query],
    queryFn: () => getTransactions(query),
  });
  const report = usage.data;
  const transactions = txs.data?.transactions ?? [];

  const clear = useMutation({
    mutationFn: clearCostRecords,
    onSuccess: (r) => {
      toast.success(r.message ?? 'All cost records cleared');
      void qc.invalidateQueries();
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!start || !end) {
      toast.error('Pick a start and an end date');
      return;
    }
    if (start > end) {
      toast.error('The start date must be on or before the end date');
      return;
    }
    if (daysInRange(start, end) > MAX_RANGE_DAYS) {
      toast.error(`Pick at most ${MAX_RANGE_DAYS} days`);
      return;
    }
    setParam({ from: start, to: end });
  };

  const loading = usage.isPending || txs.isPending;
  const error = usage.error ?? txs.error;

  return (
    <div>
      <PageHeader
        title="Cost Tracking"
        description={
          report
            ? `Priced LLM calls from ${report.date_range} (UTC)`
            : 'Spend, tokens and requests over a date range'
        }
        actions={
          <ConfirmButton
            title="Delete all stories, chats and context executions?"
            message="Every story, conversation (with its messages) and context execution is deleted, and with them the costs shown here. The audit trail of LLM call attempts is kept."
            confirmLabel="Delete everything"
            dismissLabel="Keep them"
            onConfirm={() => clear.mutateAsync()}
          >
            Clear all
          </ConfirmButton>
        }
      />

      <form
        onSubmit={apply}
        className="card mb-6 flex flex-wrap items-end gap-3 p-4"
        aria-label="Date range"
      >
        <div>
          <label htmlFor="cost-start" className="label">
            Start date
          </label>
          <input
            id="cost-start"
            type="date"
            className="input"
            value={start}
            max={end}
            onChange={(e) => setStart(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="cost-end" className="label">
            End date
          </label>
          <input
            id="cost-end"
            type="date"
            className="input"
            value={end}
            min={start}
            max={today}
            onChange={(e) => setEnd(e.target.value)}
          />
        </div>
        <button type="submit" className="btn-primary">
          Apply filter
        </button>
        <p className="text-xs text-slate-500">
          {days} day{days === 1 ? '' : 's'}, whole days in UTC
        </p>
      </form>

      {loading ? (
        <LoadingState label="Loading usage…" />
      ) : error ? (
        <ErrorState
          error={error}
          title="Could not load cost data"
          onRetry={() => {
            void usage.refetch();
            void txs.refetch();
          }}
        />
      ) : !report || report.summary.total_requests === 0 ? (
        <EmptyState title="No usage data found for the selected period" icon="$">
          Generate a story, chat or run a context prompt, then come back.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <dl className="grid grid-cols-2 gap-4 lg:grid-cols-5" data-testid="cost-summary">
            <StatCard label="Total cost" value={formatUsd(report.summary.total_cost_usd)} />
            <StatCard label="Requests" value={formatNumber(report.summary.total_requests)} />
            <StatCard label="Tokens" value={formatNumber(report.summary.total_tokens)} />
            <StatCard
              label="Avg cost / request"
              value={formatUsd(report.summary.average_cost_per_request)}
            />
            <StatCard
              label="Avg tokens / request"
              value={formatNumber(report.summary.average_tokens_per_request)}
            />
          </dl>

          <div className="grid gap-4 lg:grid-cols-3">
            <div className="lg:col-span-3">
              <DailyCostChart usage={report} />
            </div>
            <div className="lg:col-span-3 grid gap-4 lg:grid-cols-2">
              <FrameworkCostChart usage={report} />
              <ModelCostChart usage={report} />
            </div>
          </div>

          <div>
            <div
              role="tablist"
              aria-label="Cost detail"
              className="mb-3 inline-flex rounded-lg border border-slate-300 bg-white p-0.5"
            >
              {(
                [
                  ['summary', 'Summary view'],
                  ['transactions', 'Transaction details'],
                ] as const
              ).map(([v, label]) => (
                <button
                  key={v}
                  type="button"
                  role="tab"
                  aria-selected={view === v}
                  aria-controls={`cost-panel-${v}`}
                  className={`rounded-md px-3 py-1.5 text-sm font-medium ${view === v ? 'bg-indigo-600 text-white' : 'text-slate-600 hover:bg-slate-100'}`}
                  onClick={() => setView(v)}
                >
                  {label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`cost-panel-${view}`}>
              {view === 'transactions' ? (
                <TransactionsTable transactions={transactions} />
              ) : (
                <div className="card overflow-x-auto">
                  <table className="min-w-full divide-y divide-slate-200 text-sm">
                    <caption className="sr-only">Daily usage</caption>
                    <TableHead
                      columns={['Date', numeric('Requests'), numeric('Tokens'), numeric('Cost')]}
                    />
                    <tbody className="divide-y divide-slate-100">
                      {[...report.daily_usage].reverse().map((d) => (
                        <tr key={d.date} className={d.request_count === 0 ? 'text-slate-400' : ''}>
                          <td className="px-3 py-2">{d.date}</td>
                          <td className="px-3 py-2 text-right tabular-nums">
                            {formatNumber(d.request_count)}
                          </td>
                          <td className="px-3 py-2 text-right tabular-nums">
                            {formatNumber(d.total_tokens)}
                          </td>
                          <td className="px-3 py-2 text-right tabular-nums">
                            {formatUsd(d.total_cost_usd)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

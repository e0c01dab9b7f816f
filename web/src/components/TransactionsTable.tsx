import { useState } from 'react';
import type { Transaction } from '../api/types';
import { describeTransaction } from '../lib/cost';
import { formatDateTime, formatNumber, formatUsd } from '../lib/format';
import { frameworkLabel } from '../lib/frameworks';
import { KindBadge } from './badges';
import { numeric, TableHead } from './TableHead';

const PAGE = 50;

export function TransactionsTable({ transactions }: { transactions: Transaction[] }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(transactions.length / PAGE));
  const current = Math.min(page, pages - 1);
  const rows = transactions.slice(current * PAGE, current * PAGE + PAGE);
  return (
    <div className="card overflow-hidden">
      <div className="overflow-x-auto">
        <table
          className="min-w-full divide-y divide-slate-200 text-sm"
          data-testid="transactions-table"
        >
          <caption className="sr-only">Transactions: every priced LLM call in the period</caption>
          <TableHead
            columns={[
              'Date / time',
              'Type',
              'Transaction',
              'Framework',
              'Model',
              'Description',
              numeric('Tokens'),
              numeric('Cost'),
            ]}
          />
          <tbody className="divide-y divide-slate-100 bg-white">
            {rows.map((t) => (
              <tr key={`${t.type}-${t.id}`} className="hover:bg-slate-50">
                <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                  {formatDateTime(t.created_at)}
                </td>
                <td className="px-3 py-2">
                  <KindBadge kind={t.type} />
                </td>
                <td
                  className="px-3 py-2 font-mono text-xs text-slate-600"
                  title={t.transaction_guid ?? undefined}
                >
                  {t.transaction_guid ? `${t.transaction_guid.slice(0, 8)}…` : '—'}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{frameworkLabel(t.method)}</td>
                <td className="max-w-[10rem] truncate px-3 py-2 text-slate-600" title={t.model}>
                  {t.model}
                </td>
                <td
                  className="max-w-[16rem] truncate px-3 py-2 text-slate-700"
                  title={describeTransaction(t)}
                >
                  {describeTransaction(t) || '—'}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {formatNumber(t.total_tokens)}
                </td>
                <td className="px-3 py-2 text-right font-medium tabular-nums">
                  {formatUsd(t.estimated_cost_usd)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <nav
          aria-label="Transaction pages"
          className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-sm"
        >
          <button
            type="button"
            className="btn-secondary py-1"
            disabled={current === 0}
            onClick={() => setPage(current - 1)}
          >
            Previous
          </button>
          <span className="text-slate-600">
            Page {current + 1} of {pages}
          </span>
          <button
            type="button"
            className="btn-secondary py-1"
            disabled={current >= pages - 1}
            onClick={() => setPage(current + 1)}
          >
            Next
          </button>
        </nav>
      )}
    </div>
  );
}

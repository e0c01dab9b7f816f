import type { BatchEstimate } from '../api/types';
import { formatNumber, formatUsd } from '../lib/format';
import { frameworkLabel } from '../lib/frameworks';

const SOURCE_TEXT = {
  history: 'measured tokens of past runs',
  pricing: 'prompt size and typical answers',
  mixed: 'measured tokens where there is history, else prompt size',
} as const;

function Covered({ ok, what }: { ok: boolean; what: string }) {
  return (
    <li className={ok ? 'text-green-700' : 'text-red-700'}>
      {ok ? '✓' : '✗'} The budget {ok ? 'covers' : 'does not cover'} the {what}
    </li>
  );
}

function Figure(p: { label: string; value: string; testId: string; hint?: string }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500">{p.label}</dt>
      <dd className="font-semibold tabular-nums" data-testid={p.testId}>
        {p.value}
      </dd>
      {p.hint && <dd className="text-xs text-slate-500">{p.hint}</dd>}
    </div>
  );
}

/** A dry run's answer: items, expected and worst-case cost, per framework, and the budget. */
export function BatchEstimatePanel({ estimate: e }: { estimate: BatchEstimate }) {
  return (
    <section
      aria-labelledby="batch-estimate-title"
      className="rounded-md border border-indigo-200 bg-indigo-50/50 p-4 text-sm"
      data-testid="batch-estimate"
    >
      <h3 id="batch-estimate-title" className="mb-2 font-semibold text-slate-900">
        Estimate (nothing started)
      </h3>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-3">
        <Figure label="Items" value={formatNumber(e.totalItems)} testId="estimate-items" />
        <Figure
          label="Expected cost"
          value={formatUsd(e.expected.costUsd)}
          testId="estimate-expected"
          hint={`${formatNumber(e.expected.totalTokens)} tokens, from ${SOURCE_TEXT[e.expected.source]}`}
        />
        <Figure
          label="Worst case"
          value={formatUsd(e.worstCase.costUsd)}
          testId="estimate-worst"
          hint={`every call at ${formatNumber(e.maxTokensPerCall)} output tokens`}
        />
      </dl>
      {e.budget && (
        <ul className="mt-3 space-y-0.5 text-xs" aria-label="Budget">
          <Covered ok={e.budget.coversExpected} what="expected cost" />
          <Covered ok={e.budget.coversWorstCase} what="worst case" />
        </ul>
      )}
      <table className="mt-3 min-w-full text-xs">
        <caption className="sr-only">Estimate per framework</caption>
        <thead className="text-left text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-2 font-medium">
              Framework
            </th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">
              Items
            </th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">
              Expected
            </th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">
              Worst case
            </th>
            <th scope="col" className="py-1 font-medium">
              Based on
            </th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {e.perFramework.map((f) => (
            <tr key={f.framework}>
              <th scope="row" className="py-0.5 pr-2 text-left font-normal">
                {frameworkLabel(f.framework)}
              </th>
              <td className="py-0.5 pr-2 text-right">{formatNumber(f.items)}</td>
              <td className="py-0.5 pr-2 text-right">{formatUsd(f.expected.costUsd)}</td>
              <td className="py-0.5 pr-2 text-right">{formatUsd(f.worstCaseUsd)}</td>
              <td className="py-0.5 text-slate-500">
                {f.source === 'history'
                  ? `${formatNumber(f.historyAttempts)} past calls`
                  : 'prompt size'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!e.pricing.known && (
        <p className="mt-2 text-xs text-amber-700">
          The model {e.model} is not in the pricing table: its cost shows as $0.
        </p>
      )}
    </section>
  );
}

import { formatUsd } from '../lib/format';

/**
 * A budgeted batch's money as one bar: spent (indigo), overshoot (red: calls paid again after a
 * worker crash, the one spending the cap cannot prevent) and reserved by running items
 * (amber), against the budget (the whole track; a mark shows where it ends when they run past
 * it). The numbers are in the text below and in the meter's value text.
 */
export function BudgetBar({
  spentUsd,
  reservedUsd,
  budgetUsd,
  overshootUsd,
}: {
  spentUsd: number;
  reservedUsd: number;
  budgetUsd: number;
  overshootUsd: number;
}) {
  // The track is the budget, or spent + reserved when they run past it (overshoot).
  const scale = Math.max(budgetUsd, spentUsd + reservedUsd, Number.EPSILON);
  const pct = (n: number) => `${Math.max(0, Math.min(100, (n / scale) * 100))}%`;
  const withinBudget = Math.max(0, spentUsd - overshootUsd);
  const valueText =
    `${formatUsd(spentUsd)} spent, ${formatUsd(reservedUsd)} reserved of a ${formatUsd(budgetUsd)} budget` +
    (overshootUsd > 0 ? `; ${formatUsd(overshootUsd)} of calls repeated after a worker crash` : '');
  return (
    <div data-testid="budget-bar">
      <div
        role="meter"
        aria-label="Budget"
        aria-valuemin={0}
        aria-valuemax={budgetUsd}
        aria-valuenow={spentUsd}
        aria-valuetext={valueText}
        className="relative flex h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className="h-full bg-indigo-500 transition-all duration-500"
          style={{ width: pct(withinBudget) }}
          data-testid="budget-spent"
        />
        {overshootUsd > 0 && (
          <div
            className="h-full bg-red-600 transition-all duration-500"
            style={{ width: pct(overshootUsd) }}
            data-testid="budget-overshoot"
          />
        )}
        <div
          className="h-full bg-amber-400 transition-all duration-500"
          style={{ width: pct(reservedUsd) }}
          data-testid="budget-reserved"
        />
        {spentUsd + reservedUsd > budgetUsd && (
          // Where the budget ends, when the bar runs past it.
          <div
            aria-hidden="true"
            className="absolute inset-y-0 w-0.5 bg-slate-900"
            style={{ left: pct(budgetUsd) }}
          />
        )}
      </div>
      <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-600">
        <span>
          <span
            aria-hidden="true"
            className="mr-1 inline-block size-2 rounded-full bg-indigo-500"
          />
          spent {formatUsd(spentUsd)}
        </span>
        <span>
          <span aria-hidden="true" className="mr-1 inline-block size-2 rounded-full bg-amber-400" />
          reserved {formatUsd(reservedUsd)}
        </span>
        <span>budget {formatUsd(budgetUsd)}</span>
        {overshootUsd > 0 && (
          <span className="font-medium text-red-700" data-testid="budget-overshoot-text">
            <span aria-hidden="true" className="mr-1 inline-block size-2 rounded-full bg-red-600" />
            overshoot {formatUsd(overshootUsd)} (calls repeated after a worker crash)
          </span>
        )}
      </p>
    </div>
  );
}

/** Completed (green) and failed (red) segments of one bar, with the numbers for assistive tech. */
export function ProgressBar({
  completed,
  failed = 0,
  total,
  label,
}: {
  completed: number;
  failed?: number;
  total: number;
  label: string;
}) {
  const pct = (n: number) => (total > 0 ? Math.min(100, (n / total) * 100) : 0);
  const done = completed + failed;
  const percent = Math.round(pct(done));
  return (
    <div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% (${completed} done, ${failed} failed of ${total})`}
        className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className="h-full bg-green-500 transition-all duration-500"
          style={{ width: `${pct(completed)}%` }}
        />
        <div
          className="h-full bg-red-500 transition-all duration-500"
          style={{ width: `${pct(failed)}%` }}
        />
      </div>
      <p className="mt-1 text-xs text-slate-500">
        <span data-testid="progress-percent">{percent}%</span> · {completed} done
        {failed > 0 ? `, ${failed} failed` : ''} of {total}
      </p>
    </div>
  );
}

/** A column of a data table: its header, right-aligned when it holds numbers (`numeric`). */
export type Column = string | { label: string; numeric: true };

export const numeric = (label: string): Column => ({ label, numeric: true });

/**
 * The header row of the app's data tables, one look everywhere. `dense`: a table inside a card's
 * padding (narrower cells, no band), as a batch's stories or the context executions.
 */
export function TableHead({
  columns,
  dense = false,
}: {
  columns: readonly Column[];
  dense?: boolean;
}) {
  const cell = dense ? 'px-2 py-2' : 'px-3 py-2';
  return (
    <thead
      className={`${dense ? '' : 'bg-slate-50 '}text-left text-xs font-semibold text-slate-600 uppercase`}
    >
      <tr>
        {columns.map((c) => {
          const { label, right } =
            typeof c === 'string' ? { label: c, right: false } : { label: c.label, right: true };
          return (
            <th key={label} scope="col" className={right ? `${cell} text-right` : cell}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

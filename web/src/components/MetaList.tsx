import type { ReactNode } from 'react';

/** A definition list of label/value pairs in a responsive grid. */
export function MetaList({
  items,
  columns = 3,
}: {
  items: [string, ReactNode][];
  columns?: 2 | 3 | 4;
}) {
  const cols = {
    2: 'sm:grid-cols-2',
    3: 'sm:grid-cols-2 lg:grid-cols-3',
    4: 'sm:grid-cols-2 lg:grid-cols-4',
  }[columns];
  return (
    <dl className={`grid grid-cols-1 gap-x-6 gap-y-3 text-sm ${cols}`}>
      {items.map(([label, value]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs font-medium text-slate-500">{label}</dt>
          <dd
            className="mt-0.5 truncate font-mono text-xs text-slate-800"
            title={typeof value === 'string' ? value : undefined}
          >
            {value ?? '—'}
          </dd>
        </div>
      ))}
    </dl>
  );
}

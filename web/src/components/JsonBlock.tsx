/** Pretty JSON in a scrollable, copy-friendly block. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100"
    >
      {text}
    </pre>
  );
}

/**
 * A workflow ID cut to fit its cell from the right of its head, never its end: an item run's
 * `/item-12` is the only part that tells a batch's item runs apart, so it always stays shown.
 */
export function RunIdText({ id }: { id: string }) {
  const tail = /\/item-\d+$/.exec(id)?.[0] ?? '';
  const head = id.slice(0, id.length - tail.length);
  return (
    <span className="flex min-w-0" title={id}>
      <span className="truncate">{head}</span>
      {tail && (
        <span className="shrink-0" data-testid="run-id-item">
          {tail}
        </span>
      )}
    </span>
  );
}

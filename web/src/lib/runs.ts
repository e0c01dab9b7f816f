import type { RunKind, RunOrigin, RunStatusFilter, RunSummary } from '../api/types';

export const RUN_STATUSES: readonly RunStatusFilter[] = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'TIMED_OUT',
  'CONTINUED_AS_NEW',
];
export const RUN_KINDS: readonly RunKind[] = ['story', 'batch', 'chat', 'context'];
export const ORIGINS: readonly RunOrigin[] = ['api', 'mcp', 'batch', 'schedule'];

/** `value` if it is one of `allowed` (a filter read from the URL), else undefined. */
export function oneOf<T extends string>(
  allowed: readonly T[],
  value: string | null,
): T | undefined {
  return allowed.find((a) => a === value);
}

/** A search attribute as a scalar (the API may send a value or a one-element list). */
export function attr(
  run: Pick<RunSummary, 'searchAttributes'>,
  key: string,
): string | number | undefined {
  const v = run.searchAttributes?.[key];
  const one = Array.isArray(v) ? (v[0] as unknown) : v;
  return typeof one === 'string' || typeof one === 'number' ? one : undefined;
}

export const isOpen = (status: string | undefined) => (status ?? '').toUpperCase() === 'RUNNING';

/** Long IDs keep both ends visible: `batch-2a424f64…3b1c/item-12`. */
export function shortWorkflowId(id: string, max = 44): string {
  if (id.length <= max) return id;
  const tail = /\/item-\d+$/.exec(id)?.[0] ?? '';
  const keep = max - tail.length - 1;
  const head = Math.ceil(keep * 0.6);
  const body = id.slice(0, id.length - tail.length);
  return `${body.slice(0, head)}…${body.slice(body.length - (keep - head))}${tail}`;
}

import { RUN_STATUS_FILTERS, WORKFLOW_KINDS } from '@common/run-statuses';
import type { RunKind, RunStatusFilter, RunSummary } from '../api/types';

export const RUN_STATUSES: readonly RunStatusFilter[] = RUN_STATUS_FILTERS;
export const RUN_KINDS: readonly RunKind[] = WORKFLOW_KINDS;

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

/** The conversation of a chat's workflow (`chat-<conversationId>-<key>`), if it is one. */
export function conversationOf(workflowId: string): number | undefined {
  const m = /^chat-(\d+)-/.exec(workflowId);
  return m ? Number(m[1]) : undefined;
}

/**
 * What the runs list says of a run's state. A chat's workflow stays open between messages (it
 * closes after an idle hour), so "running" would mislead: it is an open conversation.
 */
export function runState(run: Pick<RunSummary, 'status' | 'workflowId' | 'searchAttributes'>): {
  status: string;
  hint?: string;
} {
  if (attr(run, 'WorkflowKind') !== 'chat' && conversationOf(run.workflowId) === undefined)
    return { status: run.status };
  if (run.status === 'RUNNING')
    return {
      status: 'OPEN',
      hint: 'The conversation is open: its workflow answers each message and closes after an idle hour',
    };
  if (run.status === 'COMPLETED')
    return { status: 'CLOSED', hint: 'Closed after an idle hour; the next message opens it again' };
  return { status: run.status };
}

/** Tokens and cost of a run: its search attributes, else its own audited LLM calls (chats). */
export function runSpend(run: Pick<RunSummary, 'searchAttributes' | 'audited'>): {
  tokens: number | string | undefined;
  costUsd: number | string | undefined;
} {
  return {
    tokens: attr(run, 'TotalTokens') ?? run.audited?.totalTokens,
    costUsd: attr(run, 'CostUsd') ?? run.audited?.costUsd,
  };
}

/** Long IDs keep both ends visible: `batch-2a424f64…3b1c/item-12`. */
export function shortWorkflowId(id: string, max = 44): string {
  if (id.length <= max) return id;
  const tail = /\/item-\d+$/.exec(id)?.[0] ?? '';
  const keep = max - tail.length - 1;
  const head = Math.ceil(keep * 0.6);
  const body = id.slice(0, id.length - tail.length);
  return `${body.slice(0, head)}…${body.slice(body.length - (keep - head))}${tail}`;
}

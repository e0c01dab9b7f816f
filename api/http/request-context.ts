import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request identity, readable anywhere in the request's async call tree. */
export interface RequestContext {
  requestId: string;
  /** One ID across API, worker, MCP and rows; the original's `transaction_guid` on the wire. */
  correlationId: string;
  clientIp?: string;
}

export const requestContextStorage = new AsyncLocalStorage<RequestContext>();

export function currentRequestContext(): RequestContext {
  const ctx = requestContextStorage.getStore();
  if (!ctx) throw new Error('No request context: called outside an HTTP request');
  return ctx;
}

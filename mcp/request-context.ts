import { randomUUID } from 'node:crypto';
import { type RequestContext, requestContextStorage } from '../api/http/request-context';

/**
 * Runs `fn` with a request id and transaction GUID, as the services expect. Over HTTP the
 * correlation middleware has already set them (and returned them as headers); over stdio
 * there is no HTTP request, so every MCP request gets its own pair here.
 */
export function withRequestContext<T>(fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
  const existing = requestContextStorage.getStore();
  if (existing) return fn(existing);
  const ctx: RequestContext = { requestId: randomUUID(), correlationId: randomUUID() };
  return requestContextStorage.run(ctx, () => fn(ctx));
}

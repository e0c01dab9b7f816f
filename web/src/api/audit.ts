import { api, send, undocumentedQuery } from './client';
import type { AuditAttempt, AuditPage } from './types';

export interface AuditFilters {
  workflowId?: string;
  framework?: string;
  outcome?: string;
  skip?: number;
  limit?: number;
}

/** Tolerates a bare array or `{items|attempts, total}`. */
export async function listAudit(filters: AuditFilters): Promise<AuditPage> {
  const body = await send<
    AuditPage | AuditAttempt[] | { attempts: AuditAttempt[]; total?: number }
  >(api.GET('/api/audit', { params: { query: undocumentedQuery(filters) } }));
  if (Array.isArray(body)) return { items: body };
  if ('attempts' in body) return { items: body.attempts, total: body.total };
  return body;
}

import { api, send, undocumentedQuery } from './client';
import type { AuditPage } from './types';

export interface AuditFilters {
  workflowId?: string;
  framework?: string;
  outcome?: string;
  skip?: number;
  limit?: number;
}

/** One page of LLM call attempts, newest first, with the totals over every match. */
export const listAudit = (filters: AuditFilters): Promise<AuditPage> =>
  send(api.GET('/api/audit', { params: { query: undocumentedQuery(filters) } }));

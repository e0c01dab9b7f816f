import { api, send, withoutEmpty } from './client';
import type { AuditPage, AuditQuery } from './types';

export type AuditFilters = AuditQuery;

/** One page of LLM call attempts, newest first, with the totals over every match. */
export const listAudit = (filters: AuditFilters): Promise<AuditPage> =>
  send(api.GET('/api/audit', { params: { query: withoutEmpty(filters) } }));

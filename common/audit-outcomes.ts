/**
 * Outcomes of an LLM call attempt's audit row. `pending` is written before the call and filled
 * in after it; `lost` is a pending row whose run went on without it (its worker died mid-call,
 * so the provider may have billed it). activities/llm/audit.ts writes them.
 */
export const AUDIT_OUTCOMES = ['success', 'error', 'pending', 'lost'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Run kinds and statuses as callers filter by them: the API's query schema and the web app's
 * filters (which import this file as it is, `@common/run-statuses`: keep it import-free).
 */

/** What a workflow is (the WorkflowKind search attribute), one per workflow type. */
export const WORKFLOW_KINDS = ['story', 'batch', 'chat', 'context'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

/** Closed: the run can no longer change (CONTINUED_AS_NEW: this run's part is over). */
export const CLOSED_RUN_STATUSES = [
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'TIMED_OUT',
  'CONTINUED_AS_NEW',
] as const;

/** The statuses a run list can be filtered by, as Temporal names them: open, then closed. */
export const RUN_STATUS_FILTERS = ['RUNNING', ...CLOSED_RUN_STATUSES] as const;

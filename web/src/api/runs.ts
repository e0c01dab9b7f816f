import { api, send, withoutEmpty } from './client';
import type { RunDetail, RunHistory, RunList, RunQuery } from './types';

export type RunFilters = RunQuery;

/** One page of runs; unset ('' or undefined) filters are left out. */
export const listRuns = (filters: RunFilters): Promise<RunList> =>
  send(api.GET('/api/runs', { params: { query: withoutEmpty(filters) } }));

export const getRun = (workflowId: string): Promise<RunDetail> =>
  send(api.GET('/api/runs/{workflowId}', { params: { path: { workflowId } } }));

/** `verbose` keeps the workflow-task events the API leaves out by default. */
export const getRunHistory = (workflowId: string, verbose = false): Promise<RunHistory> =>
  send(
    api.GET('/api/runs/{workflowId}/history', {
      params: { path: { workflowId }, query: verbose ? { verbose: 'true' } : {} },
    }),
  );

export const cancelRun = (workflowId: string) =>
  send(api.POST('/api/runs/{workflowId}/cancel', { params: { path: { workflowId } } }));

/** Starts a new run with the same input; the reply names the new workflow. */
export const rerunRun = (workflowId: string) =>
  send(api.POST('/api/runs/{workflowId}/rerun', { params: { path: { workflowId } } }));

import { api, send, undocumentedQuery } from './client';
import type { RunDetail, RunHistory, RunList, RunSummary } from './types';

export interface RunFilters {
  type?: string;
  status?: string;
  framework?: string;
  origin?: string;
  batchId?: string;
  pageSize?: number;
  nextPageToken?: string;
}

export async function listRuns(filters: RunFilters): Promise<RunList> {
  const body = await send<
    RunList | RunSummary[] | { items: RunSummary[]; nextPageToken?: string | null }
  >(api.GET('/api/runs', { params: { query: undocumentedQuery(filters) } }));
  if (Array.isArray(body)) return { runs: body };
  if ('items' in body) return { runs: body.items, nextPageToken: body.nextPageToken };
  return body;
}

export const getRun = (workflowId: string) =>
  send<RunDetail>(api.GET('/api/runs/{workflowId}', { params: { path: { workflowId } } }));

/** `verbose` keeps the workflow-task events the API leaves out by default. */
export async function getRunHistory(workflowId: string, verbose = false): Promise<RunHistory> {
  const body = await send<Partial<RunHistory>>(
    api.GET('/api/runs/{workflowId}/history', {
      params: {
        path: { workflowId },
        query: undocumentedQuery(verbose ? { verbose: 'true' } : {}),
      },
    }),
  );
  return {
    workflowId,
    runId: body.runId ?? '',
    type: body.type ?? '',
    status: body.status ?? null,
    eventCount: body.eventCount ?? body.events?.length ?? 0,
    events: body.events ?? [],
    activities: body.activities ?? [],
    children: body.children ?? [],
  };
}

export const cancelRun = (workflowId: string) =>
  send<unknown>(api.POST('/api/runs/{workflowId}/cancel', { params: { path: { workflowId } } }));

/** Starts a new run with the same input; the reply names the new workflow. */
export const rerunRun = (workflowId: string) =>
  send<{ workflowId?: string; runId?: string; links?: { run?: string } }>(
    api.POST('/api/runs/{workflowId}/rerun', { params: { path: { workflowId } } }),
  );

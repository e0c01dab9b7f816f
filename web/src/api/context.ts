import { api, send, sendPage } from './client';
import { ApiError } from './errors';
import type { ContextExecuteRequest, ContextExecution } from './types';

/** One file per request, multipart field `file`. */
export function uploadContextFile(file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return send(
    api.POST('/api/context/upload', {
      body: form as never,
      bodySerializer: (b: unknown) => b as FormData,
    }),
  );
}

export const listContextFiles = () => send(api.GET('/api/context/files'));

export const deleteContextFile = (id: string) =>
  send(api.DELETE('/api/context/files/{id}', { params: { path: { id } } }));

/** Runs the prompt and waits for the answer (the API's default; 202 only with ?wait=false). */
export async function executeContextPrompt(body: ContextExecuteRequest): Promise<ContextExecution> {
  const r = await send(api.POST('/api/context/execute', { body }));
  if (!('id' in r)) throw new ApiError(202, 'The execution is still running; see its run');
  return r;
}

/** One page, newest first, failed ones included, with how many there are in all. */
export const listContextExecutions = (skip: number, limit: number) =>
  sendPage(api.GET('/api/context/executions', { params: { query: { skip, limit } } }));

/** One execution in full: its prompts and the model's answer. */
export const getContextExecution = (id: number) =>
  send(api.GET('/api/context/executions/{id}', { params: { path: { id } } }));

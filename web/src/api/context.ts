import { api, send } from './client';
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

/** The 20 newest (the API's default page), failed ones included. */
export const listContextExecutions = () => send(api.GET('/api/context/executions'));

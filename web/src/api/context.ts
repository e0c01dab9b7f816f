import { api, send } from './client';
import type {
  ContextExecuteRequest,
  ContextExecution,
  ContextExecutionListItem,
  ContextFile,
  DeletedCount,
  UploadedFile,
} from './types';

/** One file per request, multipart field `file`. */
export function uploadContextFile(file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return send<UploadedFile>(
    api.POST('/api/context/upload', {
      body: form as never,
      bodySerializer: (b: unknown) => b as FormData,
    }),
  );
}

export const listContextFiles = () => send<ContextFile[]>(api.GET('/api/context/files'));

export const deleteContextFile = (id: string) =>
  send<DeletedCount>(api.DELETE('/api/context/files/{id}', { params: { path: { id } } }));

export const executeContextPrompt = (body: ContextExecuteRequest) =>
  send<ContextExecution>(api.POST('/api/context/execute', { body }));

/** The 20 newest (the API's default page), failed ones included. */
export const listContextExecutions = () =>
  send<ContextExecutionListItem[]>(api.GET('/api/context/executions'));

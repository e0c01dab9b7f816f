import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { deleteContextFile, listContextFiles, uploadContextFile } from '../api/context';
import { errorMessage } from '../api/errors';
import { useToast } from '../hooks/toast-context';
import { formatDateTime, kb } from '../lib/format';
import { ACCEPTED_CONTEXT_FILES } from '../lib/prompts';
import { EmptyState, ErrorState, LoadingState, Spinner } from './states';

interface Props {
  selected: string[];
  onSelectedChange: (ids: string[]) => void;
  onNext: () => void;
}

export function ContextFilesStep({ selected, onSelectedChange, onNext }: Props) {
  const toast = useToast();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<File[]>([]);
  const files = useQuery({ queryKey: ['context', 'files'], queryFn: listContextFiles });

  const upload = useMutation({
    mutationFn: async (list: File[]) => {
      const results = await Promise.allSettled(list.map((f) => uploadContextFile(f)));
      return results.map((r, i) => ({ file: list[i]!, result: r }));
    },
    onSuccess: (outcomes) => {
      const ok = outcomes.flatMap((o) =>
        o.result.status === 'fulfilled' ? [o.result.value.file_id] : [],
      );
      for (const o of outcomes)
        if (o.result.status === 'rejected')
          toast.error(`${o.file.name}: ${errorMessage(o.result.reason)}`);
      if (ok.length) toast.success(`Uploaded ${ok.length} file${ok.length === 1 ? '' : 's'}`);
      onSelectedChange([...new Set([...selected, ...ok])]);
      setChosen([]);
      if (input.current) input.current.value = '';
      void qc.invalidateQueries({ queryKey: ['context', 'files'] });
    },
  });

  const remove = useMutation({
    mutationFn: deleteContextFile,
    onSuccess: (_r, id) => {
      onSelectedChange(selected.filter((s) => s !== id));
      void qc.invalidateQueries({ queryKey: ['context', 'files'] });
      toast.success('File deleted');
    },
    onError: (err) => toast.error(errorMessage(err)),
  });

  const toggle = (id: string) =>
    onSelectedChange(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);

  return (
    <div className="space-y-6">
      <div>
        <label htmlFor="context-files-input" className="label">
          Upload files
        </label>
        <p id="context-files-hint" className="mb-2 text-xs text-slate-500">
          .txt, .md, .csv, .json or .pdf, up to 10 MB each. Several at once is fine.
        </p>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <input
            id="context-files-input"
            ref={input}
            type="file"
            multiple
            accept={ACCEPTED_CONTEXT_FILES}
            aria-describedby="context-files-hint"
            className="block w-full text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-sm file:font-medium file:text-indigo-700 hover:file:bg-indigo-100"
            onChange={(e) => setChosen([...(e.target.files ?? [])])}
          />
          <button
            type="button"
            className="btn-primary shrink-0"
            disabled={chosen.length === 0 || upload.isPending}
            onClick={() => upload.mutate(chosen)}
          >
            {upload.isPending && <Spinner />}
            Upload{chosen.length > 1 ? ` ${chosen.length} files` : ''}
          </button>
        </div>
        {chosen.length > 0 && (
          <ul className="mt-2 space-y-0.5 text-xs text-slate-600" aria-label="Files to upload">
            {chosen.map((f) => (
              <li key={`${f.name}-${f.size}`}>
                {f.name} · {kb(f.size)}
              </li>
            ))}
          </ul>
        )}
      </div>

      <fieldset>
        <legend className="label">Uploaded files</legend>
        {files.isPending ? (
          <LoadingState label="Loading files…" />
        ) : files.isError ? (
          <ErrorState
            error={files.error}
            title="Could not load files"
            onRetry={() => void files.refetch()}
          />
        ) : files.data.length === 0 ? (
          <EmptyState title="No files uploaded yet" icon="⇪">
            Upload a file to use it as context.
          </EmptyState>
        ) : (
          <ul
            className="divide-y divide-slate-100 rounded-md border border-slate-200"
            data-testid="context-file-list"
          >
            {files.data.map((f) => (
              <li key={f.id} className="flex items-center gap-3 px-3 py-2">
                <input
                  id={`ctx-file-${f.id}`}
                  type="checkbox"
                  className="size-4 rounded border-slate-300 accent-indigo-600"
                  checked={selected.includes(f.id)}
                  onChange={() => toggle(f.id)}
                />
                <label htmlFor={`ctx-file-${f.id}`} className="min-w-0 flex-1 cursor-pointer">
                  <span className="block truncate text-sm font-medium text-slate-800">
                    {f.name}
                  </span>
                  <span className="block text-xs text-slate-500">
                    {kb(f.size)} · {formatDateTime(f.upload_date)}
                  </span>
                </label>
                <button
                  type="button"
                  className="btn-ghost px-2 py-1 text-xs text-red-600 hover:bg-red-50"
                  onClick={() => remove.mutate(f.id)}
                  aria-label={`Delete ${f.name}`}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      <div className="flex items-center justify-between">
        <p className="text-sm text-slate-600" role="status">
          Selected files: <strong>{selected.length}</strong>
        </p>
        <button
          type="button"
          className="btn-primary"
          disabled={selected.length === 0}
          onClick={onNext}
        >
          Next: System prompt
        </button>
      </div>
    </div>
  );
}

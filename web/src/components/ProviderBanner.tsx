import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/errors';
import { getProvider } from '../api/system';

/** Provider and model; a loud warning when the bundled simulator stands in for a real LLM. */
export function ProviderBanner() {
  const q = useQuery({ queryKey: ['provider'], queryFn: getProvider, staleTime: 60_000 });
  if (q.isPending) return null;
  if (q.isError && q.error instanceof ApiError && q.error.status === 401) {
    return (
      <div
        role="alert"
        className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900"
      >
        This API requires a key: enter it to continue.
      </div>
    );
  }
  if (q.isError) {
    return (
      <div
        role="alert"
        className="border-b border-red-200 bg-red-50 px-4 py-2 text-center text-sm text-red-800"
      >
        The API is not reachable: provider information is unavailable.
      </div>
    );
  }
  const p = q.data;
  if (p.simulated) {
    return (
      <div
        role="alert"
        data-testid="simulator-banner"
        className="border-b border-amber-300 bg-amber-100 px-4 py-2 text-sm text-amber-900"
      >
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-center gap-x-2 text-center">
          <strong className="font-semibold">Simulated LLM:</strong>
          <span>
            no provider is configured, so Quillflow is using its bundled simulator (model{' '}
            <code className="font-mono">{p.model}</code>). Texts are not written by a real model.
          </span>
        </div>
      </div>
    );
  }
  if (!p.configured) {
    return (
      <div
        role="alert"
        className="border-b border-red-200 bg-red-50 px-4 py-2 text-center text-sm text-red-800"
      >
        No LLM provider is configured.
      </div>
    );
  }
  return null;
}

/** Compact "Provider: name · model" for the nav bar. */
export function ProviderChip() {
  const q = useQuery({ queryKey: ['provider'], queryFn: getProvider, staleTime: 60_000 });
  if (!q.data) return null;
  const p = q.data;
  return (
    <span
      data-testid="provider-chip"
      className="inline-flex items-center gap-1.5 rounded-full bg-white/10 px-2.5 py-1 text-xs text-indigo-50"
      title={`Model: ${p.model}`}
    >
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${p.simulated ? 'bg-amber-300' : 'bg-green-400'}`}
      />
      <span>
        Provider: <strong className="font-semibold">{p.provider}</strong>
        <span className="hidden xl:inline"> · {p.model}</span>
      </span>
    </span>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { executeContextPrompt } from '../api/context';
import { ApiError, errorMessage } from '../api/errors';
import type { ContextExecution, FrameworkId } from '../api/types';
import { ContextExecutions } from '../components/ContextExecutions';
import { ContextFilesStep } from '../components/ContextFilesStep';
import { CopyButton } from '../components/CopyButton';
import { MetaList } from '../components/MetaList';
import { PageHeader } from '../components/PageHeader';
import { ErrorState, LoadingState } from '../components/states';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useToast } from '../hooks/toast-context';
import { formatMs, formatNumber, formatUsd } from '../lib/format';
import { FRAMEWORKS, frameworkInfo } from '../lib/frameworks';
import { LIMITS } from '../lib/limits';
import { CONTEXT_PLACEHOLDER, DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../lib/prompts';

const STEPS = [
  { id: 'files', label: '1. Files' },
  { id: 'system', label: '2. System prompt' },
  { id: 'user', label: '3. User prompt' },
  { id: 'result', label: '4. Result' },
] as const;
type Step = (typeof STEPS)[number]['id'];

export function ContextPage() {
  useDocumentTitle('Context');
  const toast = useToast();
  const qc = useQueryClient();
  const base = useId();
  const [step, setStep] = useState<Step>('files');
  const [selected, setSelected] = useState<string[]>([]);
  const [method, setMethod] = useState<FrameworkId>('langchain');
  const [systemPrompt, setSystemPrompt] = useState(DEFAULT_SYSTEM_PROMPT);
  const [userPrompt, setUserPrompt] = useState(DEFAULT_USER_PROMPT);
  const [result, setResult] = useState<ContextExecution | null>(null);

  const execute = useMutation({
    mutationFn: executeContextPrompt,
    onMutate: () => {
      setResult(null);
      setStep('result');
    },
    onSuccess: (r) => {
      setResult(r);
      toast.success('Prompt executed');
    },
    onError: (err) => toast.error(errorMessage(err)),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['context'] });
      void qc.invalidateQueries({ queryKey: ['cost'] });
    },
  });

  const placeholderMissing = !systemPrompt.includes(CONTEXT_PLACEHOLDER);
  const canRun =
    selected.length > 0 &&
    !placeholderMissing &&
    userPrompt.trim().length > 0 &&
    !execute.isPending;

  const run = () =>
    execute.mutate({
      file_ids: selected,
      system_prompt: systemPrompt,
      user_prompt: userPrompt,
      method: frameworkInfo(method)?.slug ?? method,
    });

  const newSession = () => {
    setSystemPrompt(DEFAULT_SYSTEM_PROMPT);
    setUserPrompt(DEFAULT_USER_PROMPT);
    setResult(null);
    execute.reset();
    setStep('files');
  };

  const enabled = (s: Step) => s === 'files' || selected.length > 0;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Context Manager"
        description="Ask one LLM call about your files: upload, choose, write the prompts, run."
      />
      <div className="card">
        <div
          role="tablist"
          aria-label="Context steps"
          className="flex overflow-x-auto border-b border-slate-200"
        >
          {STEPS.map((s) => (
            <button
              key={s.id}
              id={`${base}-tab-${s.id}`}
              type="button"
              role="tab"
              aria-selected={step === s.id}
              aria-controls={`${base}-panel`}
              disabled={!enabled(s.id)}
              className={`border-b-2 px-4 py-3 text-sm font-medium whitespace-nowrap disabled:cursor-not-allowed disabled:opacity-40 ${
                step === s.id
                  ? 'border-indigo-600 text-indigo-700'
                  : 'border-transparent text-slate-600 hover:text-slate-900'
              }`}
              onClick={() => setStep(s.id)}
            >
              {s.label}
            </button>
          ))}
        </div>
        <div
          id={`${base}-panel`}
          role="tabpanel"
          aria-labelledby={`${base}-tab-${step}`}
          className="p-5"
        >
          {step === 'files' && (
            <ContextFilesStep
              selected={selected}
              onSelectedChange={setSelected}
              onNext={() => setStep('system')}
            />
          )}

          {step === 'system' && (
            <div className="space-y-4">
              <div className="max-w-xs">
                <label htmlFor="ctx-method" className="label">
                  Framework
                </label>
                <select
                  id="ctx-method"
                  className="input"
                  value={method}
                  onChange={(e) => setMethod(e.target.value as FrameworkId)}
                >
                  {FRAMEWORKS.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="ctx-system" className="label">
                  System prompt
                </label>
                <textarea
                  id="ctx-system"
                  rows={10}
                  className="input font-mono text-xs"
                  value={systemPrompt}
                  maxLength={LIMITS.contextPrompt}
                  onChange={(e) => setSystemPrompt(e.target.value)}
                  aria-invalid={placeholderMissing || undefined}
                  aria-describedby="ctx-system-hint"
                />
                <p
                  id="ctx-system-hint"
                  className={`mt-1 text-xs ${placeholderMissing ? 'text-red-600' : 'text-slate-500'}`}
                >
                  {placeholderMissing
                    ? 'The system prompt must contain [context]: that is where the files’ text goes.'
                    : 'Every [context] is replaced by the selected files’ text.'}
                </p>
              </div>
              <div className="flex justify-between">
                <button type="button" className="btn-secondary" onClick={() => setStep('files')}>
                  Previous
                </button>
                <button
                  type="button"
                  className="btn-primary"
                  disabled={placeholderMissing}
                  onClick={() => setStep('user')}
                >
                  Next: User prompt
                </button>
              </div>
            </div>
          )}

          {step === 'user' && (
            <div className="space-y-4">
              <div>
                <label htmlFor="ctx-user" className="label">
                  User prompt
                </label>
                <textarea
                  id="ctx-user"
                  rows={6}
                  className="input"
                  value={userPrompt}
                  maxLength={LIMITS.contextPrompt}
                  onChange={(e) => setUserPrompt(e.target.value)}
                />
              </div>
              <div className="rounded-md bg-slate-50 p-4">
                <h3 className="mb-2 text-sm font-semibold text-slate-800">Context summary</h3>
                <MetaList
                  columns={3}
                  items={[
                    ['Framework', frameworkInfo(method)?.label ?? method],
                    ['Files', String(selected.length)],
                    ['System prompt', placeholderMissing ? 'missing [context]' : 'yes'],
                  ]}
                />
              </div>
              <div className="flex justify-between">
                <button type="button" className="btn-secondary" onClick={() => setStep('system')}>
                  Previous
                </button>
                <button type="button" className="btn-primary" disabled={!canRun} onClick={run}>
                  Execute prompt
                </button>
              </div>
            </div>
          )}

          {step === 'result' && (
            <div className="space-y-4">
              {execute.isPending ? (
                <LoadingState label="Running the context workflow…" />
              ) : execute.isError ? (
                <ErrorState
                  error={execute.error}
                  title={
                    execute.error instanceof ApiError && execute.error.status < 500
                      ? 'The request was not accepted'
                      : 'The execution failed'
                  }
                />
              ) : result ? (
                <>
                  <div className="rounded-md bg-slate-50 p-4">
                    <MetaList
                      columns={4}
                      items={[
                        ['Files', result.original_filename],
                        ['Framework', frameworkInfo(result.method)?.label ?? result.method],
                        ['Tokens', formatNumber(result.total_tokens)],
                        ['Cost', formatUsd(result.estimated_cost_usd)],
                        ['Time', formatMs(result.total_execution_time_ms)],
                        ['Model', result.model ?? '—'],
                        ['Execution ID', String(result.id)],
                        ['Request ID', result.request_id ?? '—'],
                      ]}
                    />
                  </div>
                  <div
                    className="rounded-md border border-slate-200 bg-white p-4 text-sm leading-relaxed whitespace-pre-wrap text-slate-800"
                    data-testid="context-result"
                  >
                    {result.llm_response}
                  </div>
                </>
              ) : (
                <p className="text-sm text-slate-500">Run a prompt to see its result here.</p>
              )}
              <div className="flex flex-wrap gap-2">
                <button
                  type="button"
                  className="btn-secondary"
                  onClick={() => setStep('user')}
                  disabled={execute.isPending}
                >
                  Edit prompt
                </button>
                {result && <CopyButton text={result.llm_response ?? ''} label="Copy result" />}
                {result?.workflow_id && (
                  <Link
                    className="btn-secondary"
                    to={`/runs/${encodeURIComponent(result.workflow_id)}`}
                  >
                    View run
                  </Link>
                )}
                <button
                  type="button"
                  className="btn-secondary"
                  onClick={newSession}
                  disabled={execute.isPending}
                >
                  New session
                </button>
              </div>
            </div>
          )}
        </div>
      </div>
      <ContextExecutions />
    </div>
  );
}

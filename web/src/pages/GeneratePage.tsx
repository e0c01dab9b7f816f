import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/errors';
import { startStory } from '../api/stories';
import type { FrameworkId } from '../api/types';
import { FrameworkPicker } from '../components/FrameworkPicker';
import { PageHeader } from '../components/PageHeader';
import { Spinner } from '../components/states';
import { RunningStory } from '../components/RunningStory';
import { TextField } from '../components/TextField';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useToast } from '../hooks/toast-context';
import { frameworkInfo } from '../lib/frameworks';
import { LIMITS } from '../lib/limits';

type FieldErrors = Partial<Record<'primaryCharacter' | 'secondaryCharacter' | 'framework', string>>;

function validate(primary: string, secondary: string): FieldErrors {
  const e: FieldErrors = {};
  if (!primary.trim()) e.primaryCharacter = 'Primary character is required';
  if (!secondary.trim()) e.secondaryCharacter = 'Secondary character is required';
  if (primary.trim() && primary.trim().toLowerCase() === secondary.trim().toLowerCase()) {
    e.secondaryCharacter = 'Primary and secondary characters must be different';
  }
  return e;
}

export function GeneratePage() {
  useDocumentTitle('Generate Story');
  const toast = useToast();
  const [framework, setFramework] = useState<FrameworkId>('semantic_kernel');
  const [primary, setPrimary] = useState('');
  const [secondary, setSecondary] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  // The run of the latest story: followed from its start (RunningStory), not awaited in a request.
  const [started, setStarted] = useState<{ workflowId: string; framework: FrameworkId } | null>(
    null,
  );

  const mutation = useMutation({
    mutationFn: startStory,
    onSuccess: (r) => {
      setStarted({ workflowId: r.workflowId, framework });
      setPrimary('');
      setSecondary('');
    },
    onError: (err) => {
      if (err instanceof ApiError && err.details.length > 0) setErrors(err.fieldErrors());
      toast.error(errorMessage(err));
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validate(primary, secondary);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    mutation.mutate({
      primaryCharacter: primary.trim(),
      secondaryCharacter: secondary.trim(),
      framework: frameworkInfo(framework)?.slug ?? framework,
    });
  };

  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader
        title="AI Story Generator"
        description="Pick a framework and two characters. Each story runs as a durable Temporal workflow."
      />
      <form
        onSubmit={submit}
        noValidate
        className="card space-y-5 p-5"
        aria-describedby={errors.framework ? 'framework-error' : undefined}
      >
        <FrameworkPicker value={framework} onChange={setFramework} disabled={mutation.isPending} />
        {errors.framework && (
          <p id="framework-error" className="text-xs text-red-600">
            {errors.framework}
          </p>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Primary character"
            name="primaryCharacter"
            required
            maxLength={LIMITS.characterName}
            autoComplete="off"
            placeholder="e.g. Captain Nemo"
            value={primary}
            onChange={(e) => setPrimary(e.target.value)}
            error={errors.primaryCharacter}
            disabled={mutation.isPending}
          />
          <TextField
            label="Secondary character"
            name="secondaryCharacter"
            required
            maxLength={LIMITS.characterName}
            autoComplete="off"
            placeholder="e.g. Ada Lovelace"
            value={secondary}
            onChange={(e) => setSecondary(e.target.value)}
            error={errors.secondaryCharacter}
            disabled={mutation.isPending}
          />
        </div>
        <div className="flex items-center gap-3">
          <button type="submit" className="btn-primary" disabled={mutation.isPending}>
            {mutation.isPending && <Spinner />}
            {mutation.isPending ? 'Starting…' : 'Generate story'}
          </button>
          {mutation.isPending && (
            <p role="status" className="text-sm text-slate-500">
              Starting the {frameworkInfo(framework)?.label} workflow…
            </p>
          )}
        </div>
      </form>

      <div className="mt-6">
        {started ? (
          <RunningStory
            key={started.workflowId}
            workflowId={started.workflowId}
            framework={started.framework}
          />
        ) : (
          !mutation.isPending && (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-500">
              Your story will appear here, with its tokens, cost and a link to its workflow run.
            </p>
          )
        )}
      </div>
    </div>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { createBatch, estimateBatch } from '../api/batches';
import { ApiError, errorMessage } from '../api/errors';
import type { BatchEstimate, FrameworkId } from '../api/types';
import { useToast } from '../hooks/toast-context';
import { buildBatchRequest, type BatchFormErrors, type BatchFormValues } from '../lib/batch-form';
import { FRAMEWORKS } from '../lib/frameworks';
import { BatchEstimatePanel } from './BatchEstimatePanel';
import { Spinner } from './states';
import { TextField } from './TextField';

const INITIAL: BatchFormValues = {
  label: '',
  mode: 'pairs',
  pairsText: 'Alice, Bob\nSherlock Holmes, Dr. Watson',
  count: '10',
  primaryNames: 'Alice\nBob\nCarol',
  secondaryNames: 'Dragon\nRobot\nPirate',
  frameworks: ['langchain'],
  concurrency: '5',
  budget: '',
};

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="mt-1 text-xs text-red-600" data-testid="field-error">
      {error}
    </p>
  ) : null;
}

export function BatchCreateForm() {
  const toast = useToast();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [v, setV] = useState<BatchFormValues>(INITIAL);
  const [errors, setErrors] = useState<BatchFormErrors>({});
  const set = <K extends keyof BatchFormValues>(k: K, value: BatchFormValues[K]) =>
    setV((old) => ({ ...old, [k]: value }));
  const preview = buildBatchRequest(v);
  // An estimate holds for the form as it was: any change hides it until asked again.
  const previewKey = JSON.stringify(preview.body ?? null);
  const [estimate, setEstimate] = useState<{ key: string; data: BatchEstimate }>();
  const shownEstimate = estimate?.key === previewKey ? estimate.data : undefined;

  const create = useMutation({
    mutationFn: createBatch,
    onSuccess: (b) => {
      toast.success(`Batch started: ${b.totalItems || preview.items} items`);
      void qc.invalidateQueries({ queryKey: ['batches'] });
      void navigate(`/batches/${encodeURIComponent(b.batchId)}`);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.details.length) setErrors(err.fieldErrors());
      toast.error(errorMessage(err));
    },
  });

  const estimateMutation = useMutation({
    mutationFn: estimateBatch,
    onSuccess: (data, body) => setEstimate({ key: JSON.stringify(body), data }),
    onError: (err) => {
      if (err instanceof ApiError && err.details.length) setErrors(err.fieldErrors());
      toast.error(errorMessage(err));
    },
  });

  const askEstimate = () => {
    const { body, errors: found } = buildBatchRequest(v);
    setErrors(found);
    if (body) estimateMutation.mutate(body);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors: found } = buildBatchRequest(v);
    setErrors(found);
    if (body) create.mutate(body);
  };

  const toggleFramework = (id: FrameworkId) =>
    set(
      'frameworks',
      v.frameworks.includes(id) ? v.frameworks.filter((f) => f !== id) : [...v.frameworks, id],
    );

  return (
    <form
      onSubmit={submit}
      noValidate
      className="card space-y-4 p-5"
      aria-labelledby="batch-form-title"
    >
      <h2 id="batch-form-title" className="text-base font-semibold text-slate-900">
        New batch
      </h2>
      <TextField
        label="Name (optional)"
        value={v.label}
        maxLength={200}
        onChange={(e) => set('label', e.target.value)}
        placeholder="e.g. Holiday stories"
      />

      <fieldset>
        <legend className="label">Characters</legend>
        <div className="flex gap-4 text-sm">
          {(
            [
              ['pairs', 'List of pairs'],
              ['generate', 'Generate from names'],
            ] as const
          ).map(([m, l]) => (
            <label key={m} className="inline-flex items-center gap-2">
              <input
                type="radio"
                name="batch-mode"
                value={m}
                checked={v.mode === m}
                onChange={() => set('mode', m)}
                className="accent-indigo-600"
              />
              {l}
            </label>
          ))}
        </div>
      </fieldset>

      {v.mode === 'pairs' ? (
        <div>
          <label htmlFor="batch-pairs" className="label">
            Pairs, one per line
          </label>
          <textarea
            id="batch-pairs"
            rows={5}
            className="input font-mono text-xs"
            value={v.pairsText}
            onChange={(e) => set('pairsText', e.target.value)}
            aria-invalid={errors.pairsText ? true : undefined}
            aria-describedby="batch-pairs-hint batch-pairs-error"
          />
          <p id="batch-pairs-hint" className="mt-1 text-xs text-slate-500">
            Two names per line, separated by a comma, “&amp;” or “|”.
          </p>
          <FieldError id="batch-pairs-error" error={errors.pairsText} />
        </div>
      ) : (
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField
            label="Number of pairs"
            type="number"
            min={1}
            value={v.count}
            onChange={(e) => set('count', e.target.value)}
            error={errors.count}
          />
          <div>
            <label htmlFor="batch-primary" className="label">
              Primary names
            </label>
            <textarea
              id="batch-primary"
              rows={4}
              className="input text-xs"
              value={v.primaryNames}
              onChange={(e) => set('primaryNames', e.target.value)}
              aria-invalid={errors.primaryNames ? true : undefined}
              aria-describedby="batch-primary-error"
            />
            <FieldError id="batch-primary-error" error={errors.primaryNames} />
          </div>
          <div>
            <label htmlFor="batch-secondary" className="label">
              Secondary names
            </label>
            <textarea
              id="batch-secondary"
              rows={4}
              className="input text-xs"
              value={v.secondaryNames}
              onChange={(e) => set('secondaryNames', e.target.value)}
              aria-invalid={errors.secondaryNames ? true : undefined}
              aria-describedby="batch-secondary-error"
            />
            <FieldError id="batch-secondary-error" error={errors.secondaryNames} />
          </div>
        </div>
      )}

      <fieldset aria-describedby="batch-fw-error">
        <legend className="label">Frameworks (each pair runs once per framework)</legend>
        <div className="flex flex-wrap gap-3 text-sm">
          {FRAMEWORKS.map((f) => (
            <label key={f.id} className="inline-flex items-center gap-2">
              <input
                type="checkbox"
                checked={v.frameworks.includes(f.id)}
                onChange={() => toggleFramework(f.id)}
                className="size-4 accent-indigo-600"
              />
              {f.label}
            </label>
          ))}
        </div>
        <FieldError id="batch-fw-error" error={errors.frameworks} />
      </fieldset>

      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Concurrency"
          type="number"
          min={1}
          max={500}
          value={v.concurrency}
          onChange={(e) => set('concurrency', e.target.value)}
          error={errors.concurrency}
          hint="Stories generated at the same time"
        />
        <TextField
          label="Budget (USD, optional)"
          type="number"
          min={0}
          step="0.000001"
          value={v.budget}
          onChange={(e) => set('budget', e.target.value)}
          error={errors.budget}
          hint="No new items start once this is spent"
        />
      </div>

      {shownEstimate && <BatchEstimatePanel estimate={shownEstimate} />}

      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-slate-600" role="status">
          {preview.items > 0
            ? `${preview.items} item${preview.items === 1 ? '' : 's'}`
            : 'No items yet'}
        </p>
        <div className="flex gap-2">
          <button
            type="button"
            className="btn-secondary"
            disabled={estimateMutation.isPending}
            onClick={askEstimate}
            title="What the batch would cost, without starting it"
          >
            {estimateMutation.isPending && <Spinner />}
            Estimate
          </button>
          <button type="submit" className="btn-primary" disabled={create.isPending}>
            {create.isPending && <Spinner />}
            Start batch
          </button>
        </div>
      </div>
    </form>
  );
}

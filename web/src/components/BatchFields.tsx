import type { FrameworkId } from '../api/types';
import type { BatchFormErrors, BatchFormValues } from '../lib/batch-form';
import { FRAMEWORKS } from '../lib/frameworks';
import { LIMITS } from '../lib/limits';
import { TextField } from './TextField';

/** What a new batch form starts with (the batch page and a new schedule). */
export const BATCH_FORM_INITIAL: BatchFormValues = {
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

export function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="mt-1 text-xs text-red-600" data-testid="field-error">
      {error}
    </p>
  ) : null;
}

/** The fields of a batch (characters, frameworks, window, budget): a batch now, or a schedule's. */
export function BatchFields({
  values: v,
  onChange: set,
  errors,
}: {
  values: BatchFormValues;
  onChange: <K extends keyof BatchFormValues>(k: K, value: BatchFormValues[K]) => void;
  errors: BatchFormErrors;
}) {
  const toggleFramework = (id: FrameworkId) =>
    set(
      'frameworks',
      v.frameworks.includes(id) ? v.frameworks.filter((f) => f !== id) : [...v.frameworks, id],
    );

  return (
    <>
      <TextField
        label="Name (optional)"
        value={v.label}
        maxLength={LIMITS.batchLabel}
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
          {(
            [
              ['primaryNames', 'batch-primary', 'Primary names'],
              ['secondaryNames', 'batch-secondary', 'Secondary names'],
            ] as const
          ).map(([field, id, label]) => (
            <div key={field}>
              <label htmlFor={id} className="label">
                {label}
              </label>
              <textarea
                id={id}
                rows={4}
                className="input text-xs"
                value={v[field]}
                onChange={(e) => set(field, e.target.value)}
                aria-invalid={errors[field] ? true : undefined}
                aria-describedby={`${id}-error`}
              />
              <FieldError id={`${id}-error`} error={errors[field]} />
            </div>
          ))}
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
          max={LIMITS.batchConcurrency}
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
    </>
  );
}

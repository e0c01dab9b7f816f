import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { createBatch, estimateBatch } from '../api/batches';
import { ApiError, errorMessage } from '../api/errors';
import type { BatchEstimate } from '../api/types';
import { useToast } from '../hooks/toast-context';
import {
  buildBatchRequest,
  tooManyItems,
  type BatchFormErrors,
  type BatchFormValues,
} from '../lib/batch-form';
import { LIMITS } from '../lib/limits';
import { BATCH_FORM_INITIAL, BatchFields } from './BatchFields';
import { BatchEstimatePanel } from './BatchEstimatePanel';
import { Spinner } from './states';

export function BatchCreateForm() {
  const toast = useToast();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [v, setV] = useState<BatchFormValues>(BATCH_FORM_INITIAL);
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
      <BatchFields values={v} onChange={set} errors={errors} />

      {shownEstimate && <BatchEstimatePanel estimate={shownEstimate} />}

      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-slate-600" role="status" data-testid="batch-items-preview">
          {preview.items > 0
            ? `${preview.items.toLocaleString()} item${preview.items === 1 ? '' : 's'}`
            : 'No items yet'}
          {tooManyItems(preview.items) && (
            <span
              className="block text-xs font-medium text-red-700"
              data-testid="batch-limit-warning"
            >
              Over the limit: at most {LIMITS.batchItems.toLocaleString()} items per batch
            </span>
          )}
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

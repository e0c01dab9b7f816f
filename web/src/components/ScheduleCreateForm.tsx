import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { parseEvery } from '@common/schemas/every';
import { ApiError, errorMessage } from '../api/errors';
import { createSchedule } from '../api/schedules';
import type { ScheduleDetail } from '../api/types';
import { useToast } from '../hooks/toast-context';
import { buildBatchRequest, tooManyItems, type BatchFormValues } from '../lib/batch-form';
import { nextCronTimes, nextEveryTimes, parseCron } from '../lib/cron';
import { formatDateTime } from '../lib/format';
import { LIMITS, PATTERNS } from '../lib/limits';
import { BATCH_FORM_INITIAL, BatchFields } from './BatchFields';
import { Spinner } from './states';
import { TextField } from './TextField';

type Timing = 'cron' | 'every';

interface ScheduleErrors {
  scheduleId?: string;
  cron?: string;
  every?: string;
}

const PREVIEW_COUNT = 5;

/** When the schedule would fire next, or why there is no preview. */
function preview(timing: Timing, cron: string, every: string, now: Date) {
  if (timing === 'every') {
    const ms = parseEvery(every);
    if (ms === undefined) return { error: 'Write a number and a unit: 30s, 15m, 6h or 1d' };
    if (ms < 10_000) return { error: 'At least 10s' };
    return { times: nextEveryTimes(ms, now, PREVIEW_COUNT) };
  }
  if (!PATTERNS.cron.test(cron.trim()))
    return {
      error: 'Not a cron expression: five fields (minute hour day month weekday) or @daily',
    };
  const spec = parseCron(cron);
  if (!spec) return { note: 'No preview for this expression here; the server checks it.' };
  const times = nextCronTimes(spec, now, PREVIEW_COUNT);
  return times.length ? { times } : { error: 'This expression never fires' };
}

/** A new recurring batch: its times (cron or interval, with a preview of the next ones) and its batch. */
export function ScheduleCreateForm({ onCreated }: { onCreated: (s: ScheduleDetail) => void }) {
  const toast = useToast();
  const [scheduleId, setScheduleId] = useState('');
  const [timing, setTiming] = useState<Timing>('cron');
  const [cron, setCron] = useState('0 * * * *');
  const [every, setEvery] = useState('1h');
  const [paused, setPaused] = useState(false);
  const [batch, setBatch] = useState<BatchFormValues>(BATCH_FORM_INITIAL);
  const [errors, setErrors] = useState<
    ScheduleErrors & ReturnType<typeof buildBatchRequest>['errors']
  >({});
  const set = <K extends keyof BatchFormValues>(k: K, value: BatchFormValues[K]) =>
    setBatch((old) => ({ ...old, [k]: value }));
  const times = preview(timing, cron, every, new Date());
  const items = buildBatchRequest(batch).items;

  const create = useMutation({
    mutationFn: createSchedule,
    onSuccess: (s) => {
      toast.success(`Schedule ${s.scheduleId} created`);
      onCreated(s);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.details.length) setErrors(err.fieldErrors());
      toast.error(errorMessage(err));
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const built = buildBatchRequest(batch);
    const found: ScheduleErrors = {};
    if (scheduleId.trim() && !PATTERNS.scheduleId.test(scheduleId.trim()))
      found.scheduleId = '3 to 63 letters, digits, "-" or "_", starting with a letter or digit';
    if (times.error) found[timing] = times.error;
    setErrors({ ...built.errors, ...found });
    if (!built.body || Object.keys(found).length > 0) return;
    create.mutate({
      ...(scheduleId.trim() ? { scheduleId: scheduleId.trim() } : {}),
      ...(timing === 'cron' ? { cron: cron.trim() } : { every: every.trim() }),
      batch: built.body,
      paused,
    });
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      className="card space-y-4 p-5"
      aria-labelledby="schedule-form-title"
    >
      <h2 id="schedule-form-title" className="text-base font-semibold text-slate-900">
        New schedule
      </h2>
      <TextField
        label="Schedule ID (optional)"
        value={scheduleId}
        onChange={(e) => setScheduleId(e.target.value)}
        error={errors.scheduleId}
        placeholder="e.g. nightly-stories"
        hint="Its batches are named after it; one is made up when left empty"
      />
      <fieldset>
        <legend className="label">When</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(
            [
              ['cron', 'Cron expression (UTC)'],
              ['every', 'Every interval'],
            ] as const
          ).map(([t, l]) => (
            <label key={t} className="inline-flex items-center gap-2">
              <input
                type="radio"
                name="schedule-timing"
                value={t}
                checked={timing === t}
                onChange={() => setTiming(t)}
                className="accent-indigo-600"
              />
              {l}
            </label>
          ))}
        </div>
      </fieldset>
      <TextField
        key={timing}
        label={timing === 'cron' ? 'Cron expression' : 'Every'}
        value={timing === 'cron' ? cron : every}
        onChange={(e) => (timing === 'cron' ? setCron : setEvery)(e.target.value)}
        error={errors[timing]}
        hint={
          timing === 'cron'
            ? 'minute hour day-of-month month day-of-week, e.g. 0 9 * * MON-FRI, or @hourly, @daily'
            : '30s, 15m, 6h or 1d (at least 10s)'
        }
      />
      <div
        className="rounded-md border border-indigo-200 bg-indigo-50/50 p-3 text-sm"
        data-testid="cron-preview"
        aria-live="polite"
      >
        {times.times ? (
          <>
            <p className="mb-1 font-medium text-slate-800">Next {times.times.length} runs</p>
            <ol className="space-y-0.5 text-xs text-slate-700 tabular-nums">
              {times.times.map((t) => (
                <li key={t.toISOString()} data-time={t.toISOString()}>
                  {formatDateTime(t)}{' '}
                  <span className="text-slate-400">
                    ({t.toISOString().slice(0, 16).replace('T', ' ')} UTC)
                  </span>
                </li>
              ))}
            </ol>
          </>
        ) : (
          <p className={times.error ? 'text-red-700' : 'text-slate-600'}>
            {times.error ?? times.note}
          </p>
        )}
      </div>
      <label className="inline-flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={paused}
          onChange={(e) => setPaused(e.target.checked)}
          className="size-4 accent-indigo-600"
        />
        Create it paused
      </label>

      <BatchFields values={batch} onChange={set} errors={errors} />

      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600" role="status">
          {items > 0
            ? `${items.toLocaleString()} item${items === 1 ? '' : 's'} per batch`
            : 'No items yet'}
          {tooManyItems(items) && (
            <span className="block text-xs font-medium text-red-700">
              Over the limit: at most {LIMITS.batchItems.toLocaleString()} items per batch
            </span>
          )}
        </p>
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending && <Spinner />}
          Create schedule
        </button>
      </div>
    </form>
  );
}

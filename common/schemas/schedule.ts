import { z } from 'zod';
import { batchRequestSchema } from './batch';
import { CRON_REGEX, describeCronProblem } from './cron';
import { EVERY_REGEX } from './every';

/**
 * Body of `POST /api/schedules`: a recurring batch. Either a cron expression (5 fields, or
 * @hourly/@daily/...) or an interval like `15m`; the batch is the body of `POST /api/batches`.
 */
export function scheduleRequestSchema() {
  return z
    .strictObject({
      scheduleId: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{2,62}$/, {
          error: 'scheduleId must be 3-63 letters, digits, "-" or "_"',
        })
        .optional(),
      cron: z
        .string({ error: 'cron must be a string' })
        .regex(CRON_REGEX, { error: (issue) => describeCronProblem(String(issue.input)) })
        .describe(
          'minute hour day-of-month month day-of-week (UTC), e.g. "0 3 * * *", or @hourly, @daily, ...; not with every',
        )
        .optional(),
      every: z
        .string({ error: 'every must be a string' })
        .regex(EVERY_REGEX, {
          error: 'every must be an interval of at least 10s, e.g. "30s", "15m", "6h", "1d"',
        })
        .describe(
          'An interval of at least 10s: digits and s, m, h or d, e.g. "30s", "15m", "6h", "1d"; not with cron',
        )
        .optional(),
      batch: batchRequestSchema()
        .refine((b) => b.dryRun !== true, {
          path: ['dryRun'],
          error:
            'a schedule starts its batches: estimate one with POST /api/batches and dryRun instead',
        })
        // The document says it too: keeps the batch's oneOf, adds "dryRun is not true".
        .meta({ not: { required: ['dryRun'], properties: { dryRun: { enum: [true] } } } }),
      paused: z.boolean({ error: 'paused must be true or false' }).optional(),
      note: z.string().trim().max(200, { error: 'note must be at most 200 characters' }).optional(),
    })
    .refine((s) => (s.cron === undefined) !== (s.every === undefined), {
      path: ['cron'],
      error: 'give exactly one of cron or every',
    })
    .meta({ oneOf: [{ required: ['cron'] }, { required: ['every'] }] }); // the document says it too
}
export type ScheduleRequest = z.output<ReturnType<typeof scheduleRequestSchema>>;

export const scheduleNoteSchema = z.strictObject({
  note: z.string().trim().max(200, { error: 'note must be at most 200 characters' }).optional(),
});

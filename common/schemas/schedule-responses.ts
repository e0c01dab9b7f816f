import { z } from 'zod';
import { int, isoDateTime, links, named } from './response-fields';

/** Recurring batches (Temporal Schedules made by Quillflow). */

const scheduleLinks = links('self', 'batches');

const recentBatch = z.strictObject({ batchId: z.string(), startedAt: isoDateTime });

const scheduleFields = {
  scheduleId: z.string(),
  cron: z.string().nullable(),
  every: z.string().nullable(),
  label: z.string().nullable(),
  totalItems: int.nullable(),
  paused: z.boolean(),
  note: z.string().nullable(),
  nextRunAt: isoDateTime.nullable(),
  recentBatches: z.array(recentBatch),
  links: scheduleLinks,
};

export const scheduleListItemSchema = named(
  'ScheduleListItem',
  z.strictObject(scheduleFields),
  'A recurring batch as the schedule list shows it',
);
export type ScheduleListItem = z.infer<typeof scheduleListItemSchema>;

export const scheduleListSchema = named(
  'ScheduleList',
  z.strictObject({ schedules: z.array(scheduleListItemSchema) }),
  'Recurring batches (listing is eventually consistent)',
);

export const scheduleDetailSchema = named(
  'ScheduleDetail',
  z.strictObject({
    ...scheduleFields,
    /** What happens when a batch is still running at the next fire time (SKIP for schedules made here). */
    overlap: z
      .enum(['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL'])
      .optional(),
    actionsTaken: int,
    runningBatches: z.array(z.string()),
    createdAt: isoDateTime,
  }),
  'One recurring batch: state, next run, running and recent batches',
);
export type ScheduleDetail = z.infer<typeof scheduleDetailSchema>;

export const scheduleTriggeredSchema = named(
  'ScheduleTriggered',
  z.strictObject({ scheduleId: z.string(), triggered: z.literal(true), links: scheduleLinks }),
  'One batch of the schedule started now',
);
export type ScheduleTriggered = z.infer<typeof scheduleTriggeredSchema>;

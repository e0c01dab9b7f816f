import { z } from 'zod';
import {
  ACCEPTED_FRAMEWORK_SPELLINGS,
  FRAMEWORK_SLUG_LIST,
  FRAMEWORK_SPELLINGS_IN_WORDS,
  normalizeFramework,
} from '../../common/frameworks';
import { ORIGINS } from '../../common/origins';
import { RUN_STATUS_FILTERS, WORKFLOW_KINDS } from '../../common/run-statuses';

/**
 * `GET /api/runs` filters -> a Temporal visibility query. Every value is checked against an
 * allow-list or a strict pattern first and then quoted with escaping, so no caller text can
 * change the query's structure.
 */
const STATUSES = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  continuedasnew: 'ContinuedAsNew',
  continued_as_new: 'ContinuedAsNew',
  timedout: 'TimedOut',
  timed_out: 'TimedOut',
} as const;

/** The same statuses as Temporal names them (what the runs list answers), accepted as well. */
const TEMPORAL_STATUS_NAMES = RUN_STATUS_FILTERS;

/** Model ids as providers spell them: `gpt-4o-mini`, `anthropic/claude-3.5-sonnet`, `llama3:8b`. */
export const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;
/** Workflow IDs we make (`batch-<uuid>`, `batch-sched-<id>-<time>`), nothing else. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;
const PAGE_TOKEN = /^[A-Za-z0-9+/_-]{1,8192}={0,2}$/;

const isoTime = (label: string) =>
  z.iso
    .datetime({
      offset: true,
      error: `${label} must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z`,
    })
    .transform((v) => new Date(v));

export const runFiltersSchema = z
  .strictObject({
    type: z
      .enum(WORKFLOW_KINDS, { error: `type must be one of ${WORKFLOW_KINDS.join(', ')}` })
      .optional(),
    status: z
      .string()
      .transform((v, ctx) => {
        const s =
          STATUSES[
            v
              .toLowerCase()
              .replace(/[\s-]/g, '_')
              .replace(/^continued_?as_?new$/, 'continuedasnew') as keyof typeof STATUSES
          ];
        if (!s) {
          ctx.addIssue({
            code: 'custom',
            message:
              'status must be one of Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew, TimedOut',
          });
          return z.NEVER;
        }
        return s;
      })
      .meta({
        enum: [...new Set(Object.values(STATUSES)), ...TEMPORAL_STATUS_NAMES],
        description:
          'Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew or TimedOut (any case)',
      })
      .optional(),
    framework: z
      .string()
      .transform((v, ctx) => {
        const f = normalizeFramework(v);
        if (!f) {
          ctx.addIssue({
            code: 'custom',
            message: `framework must be one of ${FRAMEWORK_SLUG_LIST}`,
          });
          return z.NEVER;
        }
        return f;
      })
      .meta({ enum: [...ACCEPTED_FRAMEWORK_SPELLINGS], description: FRAMEWORK_SPELLINGS_IN_WORDS })
      .optional(),
    model: z
      .string()
      .regex(MODEL_PATTERN, { error: 'model may hold letters, digits and . _ : / @ + - only' })
      .optional(),
    provider: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,49}$/, {
        error: 'provider may hold letters, digits, spaces and . _ - only',
      })
      .optional(),
    origin: z.enum(ORIGINS, { error: `origin must be one of ${ORIGINS.join(', ')}` }).optional(),
    batchId: z.string().regex(ID_PATTERN, { error: 'batchId is not a batch ID' }).optional(),
    correlationId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'correlationId must be a transaction GUID' })
      .optional(),
    from: isoTime('from').describe('Started at or after (ISO 8601 date-time)').optional(),
    to: isoTime('to').describe('Started at or before (ISO 8601 date-time)').optional(),
    pageSize: z.coerce
      .number({ error: 'pageSize must be an integer' })
      .int({ error: 'pageSize must be an integer' })
      .min(1, { error: 'pageSize must be at least 1' })
      .max(1000, { error: 'pageSize must be at most 1000' })
      .default(50),
    nextPageToken: z
      .string()
      .regex(PAGE_TOKEN, { error: 'nextPageToken is not a token this API returned' })
      .describe('The nextPageToken of the previous page')
      .optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ['to'],
    error: 'to must not be before from',
  });

export type RunFilters = z.output<typeof runFiltersSchema>;

/** A visibility string literal: backslashes and quotes escaped (the values were validated already). */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function buildVisibilityQuery(f: Omit<RunFilters, 'pageSize' | 'nextPageToken'>): string {
  const clauses: string[] = [];
  const eq = (field: string, v: string | undefined) => {
    if (v !== undefined) clauses.push(`${field} = ${quote(v)}`);
  };
  eq('WorkflowKind', f.type);
  eq('ExecutionStatus', f.status);
  eq('Framework', f.framework);
  eq('LlmModel', f.model);
  eq('LlmProvider', f.provider);
  eq('Origin', f.origin);
  eq('BatchId', f.batchId);
  eq('CorrelationId', f.correlationId);
  if (f.from) clauses.push(`StartTime >= ${quote(f.from.toISOString())}`);
  if (f.to) clauses.push(`StartTime <= ${quote(f.to.toISOString())}`);
  return clauses.join(' AND ');
}

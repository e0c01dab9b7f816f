import { z } from 'zod';
import { AUDIT_OUTCOMES } from '../audit-outcomes';
import {
  ACCEPTED_FRAMEWORK_SPELLINGS,
  FRAMEWORK_SLUG_LIST,
  FRAMEWORK_SPELLINGS_IN_WORDS,
  normalizeFramework,
  type Framework,
} from '../frameworks';
import { ORIGINS } from '../origins';
import { runIdSchema } from './run-id';
import { paginationSchema } from './story';

/** Filters of `GET /api/audit` (and the MCP audit tool): every value validated, none interpolated. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

const isoTime = (label: string) =>
  z.iso
    .datetime({
      offset: true,
      error: `${label} must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z`,
    })
    .transform((v) => new Date(v));

export const auditQuerySchema = paginationSchema(100, 1000)
  .extend({
    workflowId: z.string().regex(ID, { error: 'workflowId is not a workflow ID' }).optional(),
    runId: runIdSchema.optional(),
    batchId: z.string().regex(ID, { error: 'batchId is not a batch ID' }).optional(),
    framework: z
      .string()
      .transform((v, ctx): Framework => {
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
    outcome: z
      .enum(AUDIT_OUTCOMES, { error: `outcome must be one of ${AUDIT_OUTCOMES.join(', ')}` })
      .optional(),
    errorType: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_.]{0,99}$/, {
        error: 'errorType must be an error type name, e.g. ProviderServerError',
      })
      .optional(),
    origin: z.enum(ORIGINS, { error: `origin must be one of ${ORIGINS.join(', ')}` }).optional(),
    from: isoTime('from').describe('Attempts made at or after (ISO 8601 date-time)').optional(),
    to: isoTime('to').describe('Attempts made at or before (ISO 8601 date-time)').optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    error: 'to must not be before from',
  });

export type AuditQuery = z.output<typeof auditQuerySchema>;

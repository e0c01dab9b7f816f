import type { AuditOutcome } from '../../common/audit-outcomes';
import type { DeferredAuditRow } from '../../common/workflow-types';
import { Prisma, type PrismaClient } from '../../prisma/client';
import { noteDatabaseFailure, unavailablePauseLeft } from '../../prisma/unavailable-pause';
import type { ActivityDeps } from '../deps';
import type { CallContext } from './call-context';

export interface AuditEntry {
  callIndex: number;
  /**
   * The same call tried again within its attempt (after a 429 wait, or on the next provider):
   * 0 for the first try, whose key stays as it was before such tries existed.
   */
  tryIndex?: number;
  step: string;
  framework: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: string;
  latencyMs: number;
  outcome: 'success' | 'error';
  httpStatus?: number;
  errorType?: string;
  errorMessage?: string;
}

/**
 * Outcomes of a row that has no result yet. `pending`: written before the call, so a worker that
 * dies mid-call (kill -9, OOM) leaves a row for a call the provider may have billed, instead of
 * nothing. `lost`: a pending row whose run went on without it (closeLostAttempts). Either is
 * overwritten if its attempt does report after all.
 */
export const PENDING_OUTCOME: AuditOutcome = 'pending';
export const LOST_OUTCOME: AuditOutcome = 'lost';
const OPEN_OUTCOMES = [PENDING_OUTCOME, LOST_OUTCOME];

type AttemptRow = Omit<DeferredAuditRow, 'createdAt'>;

function attemptRow(
  ctx: CallContext,
  e: Omit<AuditEntry, 'outcome'> & { outcome: string },
): AttemptRow {
  return {
    attemptKey: [
      ctx.workflowId,
      ctx.runId,
      ctx.activityId,
      ctx.attempt,
      e.callIndex,
      ...(e.tryIndex ? [`t${e.tryIndex}`] : []),
    ].join('/'),
    workflowId: ctx.workflowId,
    runId: ctx.runId,
    workflowType: ctx.workflowType,
    activityId: ctx.activityId,
    activityType: ctx.activityType,
    attempt: ctx.attempt,
    callIndex: e.callIndex,
    step: e.step,
    framework: e.framework,
    provider: e.provider,
    model: e.model,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    totalTokens: e.inputTokens + e.outputTokens,
    costUsd: e.costUsd,
    latencyMs: e.latencyMs,
    outcome: e.outcome,
    httpStatus: e.httpStatus ?? null,
    errorType: e.errorType ?? null,
    errorMessage: e.errorMessage ?? null,
    correlationId: ctx.correlationId,
    origin: ctx.origin,
    batchId: ctx.batchId ?? null,
  };
}

/*
 * Audit writes share the database pause (prisma/unavailable-pause.ts): after the database
 * refused a write as unavailable, the LLM calls of the next few seconds do not try theirs. Two
 * SQLite lock waits per call (before and after it) outlast the activity's StartToClose and fail
 * generations that would succeed. Skipped outcome rows travel as deferredAudit like refused ones;
 * persistStory retries them.
 */

/**
 * The rows are written with plain SQL, one statement each: through the ORM an insert of this
 * 23-column row cost 1.8 ms of CPU (its query compiler) and an updateMany 1.2 ms in a
 * transaction of three statements, against 0.4 ms for the same statement raw (BENCHMARKS.md,
 * "Lean durable stories"). Columns by field: a new field of the model fails to compile here.
 */
const ATTEMPT_COLUMNS: Record<keyof AttemptRow, string> = {
  attemptKey: 'attempt_key',
  workflowId: 'workflow_id',
  runId: 'run_id',
  workflowType: 'workflow_type',
  activityId: 'activity_id',
  activityType: 'activity_type',
  attempt: 'attempt',
  callIndex: 'call_index',
  step: 'step',
  framework: 'framework',
  provider: 'provider',
  model: 'model',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  totalTokens: 'total_tokens',
  costUsd: 'cost_usd',
  latencyMs: 'latency_ms',
  outcome: 'outcome',
  httpStatus: 'http_status',
  errorType: 'error_type',
  errorMessage: 'error_message',
  correlationId: 'transaction_guid',
  origin: 'origin',
  batchId: 'batch_id',
};
const ATTEMPT_FIELDS = Object.keys(ATTEMPT_COLUMNS) as (keyof AttemptRow)[];
/** What an attempt's outcome fills in; the rest of the row is fixed by its key. */
const OUTCOME_FIELDS = [
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'costUsd',
  'latencyMs',
  'outcome',
  'httpStatus',
  'errorType',
  'errorMessage',
] as const satisfies readonly (keyof AttemptRow)[];

/** Inserts the row unless its key exists (a rewrite of the same attempt); true = inserted. */
async function insertRow(prisma: PrismaClient, row: AttemptRow, createdAt: Date): Promise<boolean> {
  const columns = Prisma.raw(
    [...ATTEMPT_FIELDS.map((f) => ATTEMPT_COLUMNS[f]), 'created_at'].join(', '),
  );
  const values = Prisma.join([...ATTEMPT_FIELDS.map((f) => row[f]), createdAt]);
  const n =
    await prisma.$executeRaw`INSERT INTO llm_call_attempts (${columns}) VALUES (${values}) ON CONFLICT (attempt_key) DO NOTHING`;
  return n > 0;
}

/** Fills in the attempt's open row; false if there is none (never begun, or already closed). */
async function closeOpenRow(prisma: PrismaClient, row: AttemptRow): Promise<boolean> {
  const set = Prisma.join(
    OUTCOME_FIELDS.map((f) => Prisma.sql`${Prisma.raw(ATTEMPT_COLUMNS[f])} = ${row[f]}`),
  );
  const n = await prisma.$executeRaw`UPDATE llm_call_attempts SET ${set}
    WHERE attempt_key = ${row.attemptKey} AND outcome IN (${Prisma.join(OPEN_OUTCOMES)})`;
  return n > 0;
}

/**
 * Writes the attempt's row before its call, as `pending`. Never throws (the call goes ahead
 * without it; recordAttempt then inserts the row whole); true = written.
 */
export async function beginAttempt(
  deps: ActivityDeps,
  ctx: CallContext,
  e: Pick<AuditEntry, 'callIndex' | 'tryIndex' | 'step' | 'framework' | 'provider' | 'model'>,
): Promise<boolean> {
  if (unavailablePauseLeft(deps.prisma) > 0) return false;
  const data = attemptRow(ctx, {
    ...e,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: '0',
    latencyMs: 0,
    outcome: PENDING_OUTCOME,
  });
  try {
    // Not inserted = a row under this key exists already: an earlier begin of this very attempt.
    await insertRow(deps.prisma, data, new Date());
    return true;
  } catch (err) {
    noteDatabaseFailure(deps.prisma, err);
    deps.logger.warn(
      {
        err: (err as Error).message,
        attemptKey: data.attemptKey,
        correlationId: ctx.correlationId,
      },
      'pending audit row not written',
    );
    return false;
  }
}

/**
 * Writes the outcome of an LLM call attempt: fills in its pending row, or inserts the row when
 * there is none. The key makes a rewrite of the same attempt a no-op. A failed audit write is
 * logged, never thrown: losing the audit row of an attempt must not turn a paid-for success into
 * a retry that pays again. Instead the row is returned, so a caller can carry it to an activity
 * that retries until the database is back (`deferredAudit` of a story step, chat reply or context
 * answer, written by persistStory, persistChatTurn or completeContextExecution); undefined =
 * written.
 */
export async function recordAttempt(
  deps: ActivityDeps,
  ctx: CallContext,
  e: AuditEntry,
  begun: boolean,
): Promise<DeferredAuditRow | undefined> {
  const data = attemptRow(ctx, e);
  const createdAt = new Date();
  if (unavailablePauseLeft(deps.prisma) > 0) {
    deps.logger.warn(
      { attemptKey: data.attemptKey, correlationId: ctx.correlationId },
      'audit writes paused (database unavailable); row deferred',
    );
    return { ...data, createdAt: createdAt.toISOString() };
  }
  try {
    if (begun && (await closeOpenRow(deps.prisma, data))) return undefined;
    // Insert unless the key exists (a rewrite of the same attempt).
    await insertRow(deps.prisma, data, createdAt);
    return undefined;
  } catch (err) {
    noteDatabaseFailure(deps.prisma, err);
    deps.logger.error(
      {
        err: (err as Error).message,
        attemptKey: data.attemptKey,
        correlationId: ctx.correlationId,
      },
      'audit row could not be written now; deferred',
    );
    return { ...data, createdAt: createdAt.toISOString() };
  }
}

/**
 * Marks the still-pending rows of a workflow's finished attempts `lost`: called once the run has
 * its result (its generation activities are over), so a pending row left there belongs to an
 * attempt that ended without reporting (its worker died mid-call). The provider may have billed
 * it; the row says so instead of looking in flight forever.
 */
export async function closeLostAttempts(
  prisma: PrismaClient,
  workflowId: string,
  activityTypes?: readonly string[],
): Promise<number> {
  const ofTypes = activityTypes
    ? Prisma.sql` AND activity_type IN (${Prisma.join([...activityTypes])})`
    : Prisma.empty;
  return prisma.$executeRaw`UPDATE llm_call_attempts SET outcome = ${LOST_OUTCOME}, error_type = ${'AttemptLost'},
    error_message = ${'The attempt ended without recording an outcome (its worker stopped mid-call); the provider may have billed it.'}
    WHERE workflow_id = ${workflowId} AND outcome = ${PENDING_OUTCOME}${ofTypes}`;
}

/** Writes audit rows deferred by recordAttempt; throws when the database still refuses (the caller retries). */
export async function writeDeferredAuditRows(
  prisma: PrismaClient,
  rows: readonly DeferredAuditRow[],
): Promise<void> {
  for (const { createdAt, ...row } of rows) {
    // Its pending row (if the begin got through), else a new row; written already = no-op.
    if (await closeOpenRow(prisma, row)) continue;
    await insertRow(prisma, row, new Date(createdAt)); // not inserted: written already (an earlier try of this persist)
  }
}

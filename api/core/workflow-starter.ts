import { createHash } from 'node:crypto';
import {
  createParamDecorator,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
} from '@nestjs/common';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  type SearchAttributePair,
  type Workflow,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import type { Request } from 'express';
import type { AppConfig } from '../../common/config';
import type { RunSettings } from '../../common/workflow-types';
import { ApiError } from '../http/api-error';
import { CONFIG, TEMPORAL } from './tokens';
import { waitWithin, type Waited } from './wait-deadline';

/**
 * A workflow of ours, as the SDK's typed start takes it: the function itself (its name is the
 * workflow type), one input object in, one result out.
 */
export type WorkflowFn<I, R> = (input: I) => Promise<R>;

export interface StartOptions<I, R> {
  workflow: WorkflowFn<I, R>;
  /** e.g. `story`: the ID is `<prefix>-<uuid>` or, with an idempotency key, `<prefix>-k-<hash>`. */
  prefix: string;
  args: [I];
  idempotencyKey?: string;
  /** A digest of the request; a reused key with a different request is refused (409). */
  requestDigest: string;
  summary: string;
  searchAttributes: SearchAttributePair[];
  memo?: Record<string, unknown>;
}

export interface Started<W extends Workflow = Workflow> {
  workflowId: string;
  runId: string;
  handle: WorkflowHandle<W>;
}

const KEY_FORMAT = /^[A-Za-z0-9._:-]{1,200}$/;

/** The Idempotency-Key header as the OpenAPI document declares it (the format KEY_FORMAT checks). */
export const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Makes the request safe to repeat: the same key never starts twice and answers with the first run',
  schema: { type: 'string', pattern: KEY_FORMAT.source },
} as const;

function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !KEY_FORMAT.test(key)) {
    throw new ApiError(
      HttpStatus.BAD_REQUEST,
      'InvalidIdempotencyKey',
      'Idempotency-Key must be 1-200 characters of letters, digits, ".", "_", ":" or "-"',
    );
  }
}

/**
 * The Idempotency-Key header's value, checked (400 when off its format, even where nothing
 * starts: a batch's dry run), for a handler that declares it with
 * `@ApiHeader(IDEMPOTENCY_KEY_HEADER)`. Not `@Headers('idempotency-key')`: @nestjs/swagger adds
 * a parameter of its own for that one, required, when the code is compiled without type checks
 * (ts-jest, the test register), so the served document then had the header twice.
 */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | undefined => {
    const value = ctx.switchToHttp().getRequest<Request>().headers['idempotency-key'];
    const key = typeof value === 'string' ? value : undefined;
    checkIdempotencyKey(key);
    return key;
  },
);

/** What every generation workflow is started with (also used by the benchmarks' direct starts). */
export function runSettingsOf(config: AppConfig): RunSettings {
  return {
    retry: config.retry,
    llmTimeoutMs: config.provider.timeoutMs,
    persistAsLocalActivity: config.env.STORY_PERSIST_LOCAL_ACTIVITY,
    providerWaitMs:
      config.env.PROVIDER_MAX_WAIT_SECONDS * 1000 +
      (config.providers.length - 1) * config.provider.timeoutMs,
  };
}

export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

/**
 * Starts workflows with meaningful IDs and exactly-once semantics per Idempotency-Key: the key
 * is hashed into the ID (no caller data in IDs), concurrent duplicates attach to the running
 * execution (USE_EXISTING) and later ones find the closed one (REJECT_DUPLICATE).
 */
@Injectable()
export class WorkflowStarter {
  constructor(
    @Inject(TEMPORAL) private readonly client: Client,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  runSettings(): RunSettings {
    return runSettingsOf(this.config);
  }

  /** Seconds a request waits for its workflow before answering that it is still running. */
  get waitSeconds(): number {
    return this.config.env.WAIT_TIMEOUT_SECONDS;
  }

  /** Waits for `fn` (a run's result, an update's reply) at most WAIT_TIMEOUT_SECONDS. */
  waitWithin<T>(fn: () => Promise<T>): Promise<Waited<T>> {
    return waitWithin(this.client, this.waitSeconds * 1000, fn);
  }

  async start<I, R>(o: StartOptions<I, R>): Promise<Started<WorkflowFn<I, R>>> {
    checkIdempotencyKey(o.idempotencyKey);
    const workflowId = o.idempotencyKey
      ? `${o.prefix}-k-${digest(o.idempotencyKey).slice(0, 24)}`
      : `${o.prefix}-${crypto.randomUUID()}`;
    try {
      const handle = await this.client.workflow.start(o.workflow, {
        taskQueue: this.config.env.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: o.args,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: o.searchAttributes,
        memo: { requestDigest: o.requestDigest, ...o.memo },
        staticSummary: o.summary,
      });
      if (o.idempotencyKey) await this.assertSameRequest(handle, o.requestDigest);
      return { workflowId, runId: handle.firstExecutionRunId, handle };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        // A closed run with this key exists: this is a repeat of a finished request.
        const handle = this.client.workflow.getHandle<WorkflowFn<I, R>>(workflowId);
        const d = await this.assertSameRequest(handle, o.requestDigest);
        return { workflowId, runId: d.runId, handle };
      }
      throw err;
    }
  }

  /** With USE_EXISTING a duplicate start succeeds too; the memo tells whether it is the same request. */
  private async assertSameRequest(handle: WorkflowHandle<Workflow>, requestDigest: string) {
    const d = await handle.describe();
    const existing = d.memo?.requestDigest;
    if (existing !== undefined && existing !== requestDigest) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'IdempotencyKeyReused',
        'This Idempotency-Key was already used with a different request; use a new key',
      );
    }
    return d;
  }
}

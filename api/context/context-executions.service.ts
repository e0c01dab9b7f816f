import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { WorkflowHandle } from '@temporalio/client';
import {
  contextBoundedRequest,
  contextTextBound,
  contextTextUpperBound,
  filesNotFoundMessage,
  missingIds,
  summarizeFiles,
} from '../../activities/context/build-context';
import type { AppConfig } from '../../common/config';
import { CONTEXT_FILES_NOT_FOUND } from '../../common/context-workflow-types';
import { FRAMEWORK_LABELS } from '../../common/frameworks';
import type { Origin } from '../../common/origins';
import {
  type ContextExecuteRequest,
  hasContextPlaceholder,
  MISSING_PLACEHOLDER_MESSAGE,
} from '../../common/schemas/context';
import type {
  ContextExecution,
  ContextExecutionDetail,
  ContextExecutionListItem,
} from '../../common/schemas/context-responses';
import type { PrismaClient } from '../../prisma/client';
import type { ContextResult, ContextWorkflowInput } from '../../workflows/context.definitions';
import { contextWorkflow } from '../../workflows/context.workflow';
import { ApiError } from '../http/api-error';
import { currentRequestContext } from '../http/request-context';
import { RequestBounds } from '../core/request-bounds.service';
import { CONFIG, PRISMA } from '../core/tokens';
import type { Waited } from '../core/wait-deadline';
import { failureToHttp, summarizeFailure } from '../core/workflow-errors';
import { digest, type Started, WorkflowStarter } from '../core/workflow-starter';
import {
  EXECUTION_LIST_SELECT,
  executionDetail,
  executionListItem,
  executionResponse,
} from './context.serializers';
import { runSearchAttributes } from '../core/run-search-attributes';

export interface ExecuteOptions {
  idempotencyKey?: string;
  origin?: Origin;
}

const executionNotFound = () =>
  new ApiError(HttpStatus.NOT_FOUND, 'NotFound', 'Execution not found', 'NOT_FOUND');

/**
 * Context prompt executions: checked here (files exist, `[context]` present), run by
 * contextWorkflow, read back from the execution rows the workflow keeps.
 */
@Injectable()
export class ContextExecutionsService {
  constructor(
    private readonly starter: WorkflowStarter,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly bounds: RequestBounds,
  ) {}

  async start(
    req: ContextExecuteRequest,
    o: ExecuteOptions = {},
  ): Promise<Started<typeof contextWorkflow>> {
    const ctx = currentRequestContext();
    const origin = o.origin ?? 'api';
    const files = await this.prisma.contextFile.findMany({
      where: { id: { in: req.file_ids } },
      select: {
        id: true,
        originalFilename: true,
        fileType: true,
        fileSizeBytes: true,
        processedContentLength: true,
        processingTimeMs: true,
      },
    });
    const missing = missingIds(req.file_ids, files);
    if (missing.length > 0)
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'NotFound',
        filesNotFoundMessage(missing),
        'NOT_FOUND',
      );

    if (!hasContextPlaceholder(req.system_prompt)) {
      // Kept as a failed execution, as the original did, so the attempt shows in the history.
      const byId = new Map(files.map((f) => [f.id, f]));
      await this.prisma.contextPromptExecution.create({
        data: {
          ...summarizeFiles(req.file_ids.map((id) => byId.get(id)!)),
          fileIds: req.file_ids.join(','),
          systemPrompt: req.system_prompt,
          userPrompt: req.user_prompt,
          method: req.method,
          provider: this.config.provider.name,
          model: this.config.provider.model,
          requestId: ctx.requestId,
          correlationId: ctx.correlationId,
          userIp: ctx.clientIp?.slice(0, 45) ?? null,
          status: 'failed',
          errorMessage: MISSING_PLACEHOLDER_MESSAGE,
          origin,
          completedAt: new Date(),
        },
      });
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'MissingContextPlaceholder',
        MISSING_PLACEHOLDER_MESSAGE,
      );
    }

    await this.assertBounded(req, files);

    const input: ContextWorkflowInput = {
      fileIds: req.file_ids,
      systemPrompt: req.system_prompt,
      userPrompt: req.user_prompt,
      framework: req.method,
      userIp: ctx.clientIp,
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
      origin,
      settings: this.starter.runSettings(),
    };
    return this.starter.start({
      workflow: contextWorkflow,
      prefix: 'context',
      args: [input],
      idempotencyKey: o.idempotencyKey,
      requestDigest: digest(req),
      summary: `${FRAMEWORK_LABELS[req.method]} context prompt over ${req.file_ids.length} file(s) (${origin})`,
      searchAttributes: runSearchAttributes({
        kind: 'context',
        framework: req.method,
        origin,
        correlationId: ctx.correlationId,
        state: 'queued',
        provider: this.config.provider,
      }),
      memo: { transactionGuid: ctx.correlationId },
    });
  }

  /**
   * The filled-in prompt against the context window and the cost ceiling, before anything is
   * started or written (the activity checks again before its call). The stored lengths give an
   * upper bound; only when that does not fit is the text read and counted.
   */
  private async assertBounded(
    req: ContextExecuteRequest,
    files: Array<{ id: string; originalFilename: string; processedContentLength: number }>,
  ) {
    const { limits } = this.bounds;
    const inOrder = <T extends { id: string }>(rows: T[]) =>
      req.file_ids.flatMap((id) => rows.find((r) => r.id === id) ?? []);
    const largest = contextTextUpperBound(inOrder(files));
    if (
      this.bounds.fits(contextBoundedRequest(limits, req.system_prompt, req.user_prompt, largest))
    )
      return;
    const texts = await this.prisma.contextFile.findMany({
      where: { id: { in: req.file_ids } },
      select: { id: true, originalFilename: true, processedContent: true },
    });
    this.bounds.assert(
      contextBoundedRequest(
        limits,
        req.system_prompt,
        req.user_prompt,
        contextTextBound(inOrder(texts)),
      ),
    );
  }

  /** result(), waiting at most WAIT_TIMEOUT_SECONDS; `done: false` = still running. */
  resultWithin(handle: WorkflowHandle<typeof contextWorkflow>): Promise<Waited<ContextExecution>> {
    return this.starter.waitWithin(() => this.result(handle));
  }

  /**
   * Waits for the run and returns the stored execution. A failed run is the provider's or ours:
   * a named 502/503/504 that points at the failed row, which stays readable.
   */
  async result(handle: WorkflowHandle<typeof contextWorkflow>): Promise<ContextExecution> {
    let result: ContextResult;
    try {
      result = await handle.result();
    } catch (err) {
      const f = summarizeFailure(err);
      const row = await this.prisma.contextPromptExecution.findUnique({
        where: { workflowId: handle.workflowId },
        select: { id: true },
      });
      const where = row ? ` (execution ${row.id} recorded as failed)` : '';
      if (f.type === CONTEXT_FILES_NOT_FOUND)
        throw new ApiError(HttpStatus.NOT_FOUND, 'NotFound', `${f.message}${where}`, 'NOT_FOUND');
      const http = failureToHttp(err);
      throw new ApiError(http.getStatus(), http.type, `${http.message}${where}`, http.code);
    }
    const row = await this.prisma.contextPromptExecution.findUnique({
      where: { id: result.executionId },
    });
    if (!row) throw executionNotFound();
    return executionResponse(row);
  }

  async list(skip: number, limit: number): Promise<ContextExecutionListItem[]> {
    const rows = await this.prisma.contextPromptExecution.findMany({
      select: EXECUTION_LIST_SELECT,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip,
      take: limit,
    });
    return rows.map(executionListItem);
  }

  /** How many executions there are in all (the list says it in X-Total-Count). */
  count(): Promise<number> {
    return this.prisma.contextPromptExecution.count();
  }

  async get(id: number): Promise<ContextExecutionDetail> {
    // Ids are 32-bit: a larger one cannot exist (and Prisma would refuse it with a 500).
    const row =
      id > 2_147_483_647
        ? null
        : await this.prisma.contextPromptExecution.findUnique({ where: { id } });
    if (!row) throw executionNotFound();
    return executionDetail(row);
  }
}

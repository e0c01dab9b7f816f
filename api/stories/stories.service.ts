import { Inject, Injectable } from '@nestjs/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { AppConfig } from '../../common/config';
import { FRAMEWORK_LABELS } from '../../common/frameworks';
import type { Origin } from '../../common/origins';
import type { DeletedCount } from '../../common/schemas/response-fields';
import type { StoryRequest } from '../../common/schemas/story';
import { databaseProvider, type PrismaClient } from '../../prisma/client';
import { storyBoundedRequest } from '../../activities/story/story-bounds';
import type { StoryResult, StoryWorkflowInput } from '../../workflows/story.definitions';
import { storyWorkflow } from '../../workflows/story.workflow';
import { notFound } from '../http/api-error';
import { currentRequestContext } from '../http/request-context';
import { RequestBounds } from '../core/request-bounds.service';
import { CONFIG, PRISMA } from '../core/tokens';
import type { Waited } from '../core/wait-deadline';
import { failureToHttp } from '../core/workflow-errors';
import { digest, type Started, WorkflowStarter } from '../core/workflow-starter';
import { searchStoriesByCharacter, type CharacterSearchQuery } from './story-search';
import { storyDb, storyList } from './story.serializers';
import { runSearchAttributes } from '../core/run-search-attributes';

export interface StartStoryOptions {
  idempotencyKey?: string;
  origin?: Origin;
  batchId?: string;
}

@Injectable()
export class StoriesService {
  constructor(
    private readonly starter: WorkflowStarter,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly bounds: RequestBounds,
  ) {}

  /** 413/422 when the story's worst case is over the context window or MAX_REQUEST_COST_USD. */
  assertBounded(req: StoryRequest): void {
    this.bounds.assert(storyBoundedRequest(this.bounds.limits, this.bounds.promptsDir, req));
  }

  async start(
    req: StoryRequest,
    o: StartStoryOptions = {},
  ): Promise<Started<typeof storyWorkflow>> {
    this.assertBounded(req);
    const ctx = currentRequestContext();
    const origin = o.origin ?? 'api';
    const input: StoryWorkflowInput = {
      ...req,
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
      origin,
      batchId: o.batchId,
      settings: this.starter.runSettings(),
    };
    return this.starter.start({
      workflow: storyWorkflow,
      prefix: 'story',
      args: [input],
      idempotencyKey: o.idempotencyKey,
      requestDigest: digest(req),
      summary: `${FRAMEWORK_LABELS[req.framework]} story (${origin})`,
      searchAttributes: runSearchAttributes({
        kind: 'story',
        framework: req.framework,
        origin,
        correlationId: ctx.correlationId,
        state: 'queued',
        provider: this.config.provider,
      }),
      memo: { transactionGuid: ctx.correlationId },
    });
  }

  /** Waits for the run; a failed generation becomes a named 502/503/504, never a 500. */
  async result(handle: WorkflowHandle<typeof storyWorkflow>): Promise<StoryResult> {
    const result = await handle.result().catch((err: unknown) => {
      throw failureToHttp(err);
    });
    // Only batch items leave the text out (resultWithoutText), and they are never started here.
    if (!('story' in result))
      throw new Error(`${handle.workflowId} is a batch item: its result has no story text`);
    return result;
  }

  get waitSeconds(): number {
    return this.starter.waitSeconds;
  }

  /** result(), waiting at most WAIT_TIMEOUT_SECONDS; `done: false` = still running. */
  resultWithin(handle: WorkflowHandle<typeof storyWorkflow>): Promise<Waited<StoryResult>> {
    return this.starter.waitWithin(() => this.result(handle));
  }

  async get(id: number) {
    // Ids are 32-bit: a larger one cannot exist (and Prisma would refuse it with a 500).
    const row = id > 2_147_483_647 ? null : await this.prisma.story.findUnique({ where: { id } });
    if (!row) throw notFound('Story');
    return storyDb(row);
  }

  async list(skip: number, limit: number) {
    const rows = await this.prisma.story.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip,
      take: limit,
    });
    return rows.map(storyList);
  }

  /** How many stories there are in all (GET /api/stories says it in X-Total-Count). */
  count(): Promise<number> {
    return this.prisma.story.count();
  }

  async searchByCharacter(q: CharacterSearchQuery) {
    const rows = await searchStoriesByCharacter(
      this.prisma,
      databaseProvider(this.config.env.DATABASE_URL),
      q,
    );
    return rows.map(storyList);
  }

  async deleteAll(): Promise<DeletedCount> {
    const { count } = await this.prisma.story.deleteMany({});
    return { message: `Successfully deleted ${count} stories`, deleted_count: count };
  }
}

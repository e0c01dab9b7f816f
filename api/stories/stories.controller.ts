import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  paginationSchema,
  storyRequestSchema,
  type StoryRequest,
} from '../../common/schemas/story';
import { characterSearchSchema, type CharacterSearch } from '../../common/schemas/story-search';
import { deletedCountSchema } from '../../common/schemas/response-fields';
import {
  storyCreatedSchema,
  storyDetailSchema,
  storyListSchema,
  storyStartedSchema,
  type StoryCreated,
  type StoryStarted,
} from '../../common/schemas/story-responses';
import { ZodPipe } from '../http/zod.pipe';
import { TOTAL_COUNT_HEADER } from '../../common/schemas/response-fields';
import { ApiZodQuery, ApiZodResponse, jsonSchema } from '../http/openapi';
import { StoriesService } from './stories.service';
import { ApiRecordId, RecordIdPipe } from '../http/record-id';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '../core/workflow-starter';
import { storyResponse } from './story.serializers';
import { Access } from '../http/auth/access.decorator';
import { RateLimitClass } from '../http/rate-limit/rate-limit-class.decorator';

const storyBody = storyRequestSchema();
const listQuery = paginationSchema(10, 1000);
const waitQuery = z.object({
  wait: z
    .enum(['true', 'false', '1', '0'], { error: 'wait must be true or false' })
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

@ApiTags('stories')
@RateLimitClass('list_endpoints')
@Controller('api/stories')
export class StoriesController {
  constructor(private readonly stories: StoriesService) {}

  @Access('user')
  @RateLimitClass('story_generation')
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a durable story generation',
    description:
      'Starts storyWorkflow and returns 202 with the workflow ID at once; with ?wait=true waits and returns the story (201), or 202 if it is still generating after WAIT_TIMEOUT_SECONDS (the run goes on). A repeated request with the same Idempotency-Key never generates twice.',
  })
  @ApiBody({ schema: jsonSchema(storyBody) })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiZodQuery(waitQuery)
  @ApiZodResponse(
    202,
    storyStartedSchema,
    'Started (or, with ?wait=true, still running after WAIT_TIMEOUT_SECONDS): follow links.run (also the Location header)',
  )
  @ApiZodResponse(201, storyCreatedSchema, 'With ?wait=true: the story')
  async create(
    @Body(new ZodPipe(storyBody)) body: StoryRequest,
    @Query(new ZodPipe(waitQuery, 'query')) q: z.output<typeof waitQuery>,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StoryStarted | StoryCreated> {
    const started = await this.stories.start(body, { idempotencyKey });
    const links = { run: `/api/runs/${encodeURIComponent(started.workflowId)}` };
    // Without ?wait, or still generating after WAIT_TIMEOUT_SECONDS: 202, follow the run.
    const waited = q.wait ? await this.stories.resultWithin(started.handle) : undefined;
    if (!waited?.done) {
      res.setHeader('Location', links.run);
      return { workflowId: started.workflowId, runId: started.runId, status: 'RUNNING', links };
    }
    const result = waited.value;
    res.status(201);
    return {
      ...storyResponse(result),
      links: { ...links, story: `/api/stories/${result.storyId}` },
    };
  }

  @Access('user')
  @Get()
  @ApiOperation({
    summary: 'List stories, newest first, with a 200-character preview',
    description: `The ${TOTAL_COUNT_HEADER} header says how many stories there are in all (the body stays the original's list).`,
  })
  @ApiZodQuery(listQuery)
  @ApiZodResponse(200, storyListSchema, 'Stories, newest first')
  async list(
    @Query(new ZodPipe(listQuery, 'query')) q: z.output<typeof listQuery>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const [rows, total] = await Promise.all([
      this.stories.list(q.skip, q.limit),
      this.stories.count(),
    ]);
    res.setHeader(TOTAL_COUNT_HEADER, String(total));
    return rows;
  }

  // Declared before ':id' so the static path is matched first.
  @Access('user')
  @Get('search/characters')
  @ApiOperation({
    summary: 'Stories whose primary or secondary character contains the term (case-insensitive)',
  })
  @ApiZodQuery(characterSearchSchema)
  @ApiZodResponse(200, storyListSchema, 'Matching stories, newest first')
  async search(@Query(new ZodPipe(characterSearchSchema, 'query')) q: CharacterSearch) {
    return this.stories.searchByCharacter(q);
  }

  @Access('admin')
  @Delete()
  @ApiOperation({ summary: 'Delete every story' })
  @ApiZodResponse(200, deletedCountSchema, 'How many stories were deleted')
  async deleteAll() {
    return this.stories.deleteAll();
  }

  @Access('user')
  @Get(':id')
  @ApiOperation({ summary: 'Get one story with full content and metadata' })
  @ApiRecordId('id', 'The story id')
  @ApiZodResponse(200, storyDetailSchema, 'The story')
  async get(@Param('id', new RecordIdPipe()) id: number) {
    return this.stories.get(id);
  }
}

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import type { Framework } from '../../common/frameworks';
import { legacyStoryRequestSchema } from '../../common/schemas/story';
import { storyResponseSchema } from '../../common/schemas/story-responses';
import { ApiZodResponse, jsonSchema } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { stillRunning } from '../core/wait-deadline';
import { StoriesService } from './stories.service';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '../core/workflow-starter';
import { storyResponse } from './story.serializers';
import { Access } from '../http/auth/access.decorator';
import { RateLimitClass } from '../http/rate-limit/rate-limit-class.decorator';

const legacyBody = legacyStoryRequestSchema();
type LegacyBody = z.output<typeof legacyBody>;

/**
 * The original's generation routes (`POST /api/{framework}`, snake_case body, 200 with the
 * story). Same durable path as `POST /api/stories?wait=true`: the request waits for the
 * workflow; a failed generation is a named 502/503/504 rather than the original's 400.
 */
@ApiTags('stories (compatibility)')
@Access('user')
@RateLimitClass('story_generation')
@Controller('api')
export class LegacyStoriesController {
  constructor(private readonly stories: StoriesService) {}

  @Post(['semantic-kernel', 'semantic_kernel'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Generate a story with Semantic Kernel (waits for the result)' })
  @ApiBody({ schema: jsonSchema(legacyBody) })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiZodResponse(200, storyResponseSchema, 'The story')
  semanticKernel(
    @Body(new ZodPipe(legacyBody)) body: LegacyBody,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.generate('semantic_kernel', body, key);
  }

  @Post('langchain')
  @HttpCode(200)
  @ApiOperation({ summary: 'Generate a story with LangChain (waits for the result)' })
  @ApiBody({ schema: jsonSchema(legacyBody) })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiZodResponse(200, storyResponseSchema, 'The story')
  langChain(
    @Body(new ZodPipe(legacyBody)) body: LegacyBody,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.generate('langchain', body, key);
  }

  @Post('langgraph')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Generate a story with LangGraph draft → critique → revise (waits for the result)',
  })
  @ApiBody({ schema: jsonSchema(legacyBody) })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiZodResponse(200, storyResponseSchema, 'The story')
  langGraph(
    @Body(new ZodPipe(legacyBody)) body: LegacyBody,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.generate('langgraph', body, key);
  }

  private async generate(
    framework: Framework,
    body: LegacyBody,
    idempotencyKey: string | undefined,
  ) {
    const started = await this.stories.start({ ...body, framework }, { idempotencyKey });
    const waited = await this.stories.resultWithin(started.handle);
    if (!waited.done) {
      const again =
        idempotencyKey === undefined
          ? ''
          : ', or repeat this request with the same Idempotency-Key to wait again';
      throw stillRunning(
        `Still generating after ${this.stories.waitSeconds} s; the workflow goes on and stores the story: follow /api/runs/${encodeURIComponent(started.workflowId)}${again}.`,
      );
    }
    return storyResponse(waited.value);
  }
}

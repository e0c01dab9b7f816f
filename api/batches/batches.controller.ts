import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Param,
  Post,
  Query,
  Res,
  Sse,
  type MessageEvent,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { exhaustMap, filter, map, type Observable, takeWhile, timer } from 'rxjs';
import { z } from 'zod';
import {
  batchRequestSchema,
  concurrencyBodySchema,
  type BatchRequest,
} from '../../common/schemas/batch';
import { paginationSchema } from '../../common/schemas/story';
import {
  BATCH_STATES,
  batchCancelledSchema,
  batchDetailSchema,
  batchEventSchema,
  batchListSchema,
  batchProgressSchema,
  batchRetrySchema,
  batchStartedSchema,
  type BatchEvent,
} from '../../common/schemas/batch-responses';
import { batchEstimateSchema } from '../../common/schemas/batch-estimate-responses';
import { ApiSseResponse, ApiZodQuery, ApiZodResponse, jsonSchema } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '../core/workflow-starter';
import { BatchesService } from './batches.service';
import { Access } from '../http/auth/access.decorator';

const batchBody = batchRequestSchema();
const listQuery = paginationSchema(50, 500).extend({
  // A stored batch is never `finishing` (a moment of the live progress only).
  status: z
    .enum(BATCH_STATES)
    .exclude(['finishing'], {
      error: `status must be one of ${BATCH_STATES.filter((s) => s !== 'finishing').join(', ')}`,
    })
    .optional(),
});
const itemsQuery = paginationSchema(100, 1000);

/** How often the SSE stream asks the workflow for its progress. */
const EVENTS_EVERY_MS = 1_000;

/**
 * An unknown batch is a 404 before its event stream opens. A guard, because guards run before
 * interceptors: once any interceptor wraps an SSE handler, the stream's headers go out before
 * the handler's own awaits finish, and a 404 thrown there would arrive as an `error` event of a
 * 200 stream (the response-validation interceptor made this visible).
 */
@Injectable()
export class BatchExistsGuard implements CanActivate {
  constructor(private readonly batches: BatchesService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.batches.snapshot(String(context.switchToHttp().getRequest<Request>().params.id));
    return true;
  }
}

@ApiTags('batches')
@Controller('api/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Access('user')
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a batch of stories (or, with dryRun, estimate its cost)',
    description:
      'Pairs (a list, or a generator spec: count pairs from lists of names) x frameworks, one durable child story per item in a sliding window. Returns 202 with the batch ID at once. ' +
      'With `dryRun: true`: 200 with what the batch would cost (items, expected tokens and cost, the worst case, whether budgetUsd covers them); nothing is started or written.',
  })
  @ApiBody({ schema: jsonSchema(batchBody) })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiZodResponse(202, batchStartedSchema, 'Started: follow links.self (also the Location header)')
  @ApiZodResponse(200, batchEstimateSchema, 'dryRun: the estimate; nothing started')
  async create(
    @Body(new ZodPipe(batchBody)) body: BatchRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (body.dryRun === true) {
      res.status(200);
      return this.batches.estimate(body);
    }
    const started = await this.batches.create(body, { idempotencyKey });
    res.setHeader('Location', started.links.self);
    return started;
  }

  @Access('user')
  @Get()
  @ApiOperation({ summary: 'Batches, newest first (from the database)' })
  @ApiZodQuery(listQuery)
  @ApiZodResponse(200, batchListSchema, 'One page of batches')
  async list(@Query(new ZodPipe(listQuery, 'query')) q: z.output<typeof listQuery>) {
    return this.batches.list(q.skip, q.limit, q.status);
  }

  @Access('user')
  @Get(':id')
  @ApiOperation({
    summary:
      'Progress (live while running, the report after), stories made so far (paged) and failed items',
  })
  @ApiZodQuery(itemsQuery)
  @ApiZodResponse(200, batchDetailSchema, 'The batch')
  async get(
    @Param('id') id: string,
    @Query(new ZodPipe(itemsQuery, 'query')) q: z.output<typeof itemsQuery>,
  ) {
    return this.batches.get(id, q.skip, q.limit);
  }

  @Access('user')
  @Sse(':id/events')
  @ApiOperation({ summary: 'Server-sent progress events, one a second, until the batch closes' })
  @ApiSseResponse(
    batchEventSchema,
    'Events `progress` (one a second) and, last, `closed`; each data is a BatchEvent',
  )
  @UseGuards(BatchExistsGuard)
  events(@Param('id') id: string): Observable<MessageEvent> {
    return timer(0, EVENTS_EVERY_MS).pipe(
      // A failed poll (Temporal or the database busy) skips a tick instead of ending the stream.
      exhaustMap(() => this.batches.snapshot(id).catch(() => null)),
      filter((s): s is Awaited<ReturnType<BatchesService['snapshot']>> => s !== null),
      takeWhile((s) => s.open, true),
      map((s) => ({
        type: s.open ? 'progress' : 'closed',
        data: { ...s.progress, status: s.status } satisfies BatchEvent,
      })),
    );
  }

  @Access('admin')
  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop starting items; running ones finish' })
  @ApiZodResponse(200, batchProgressSchema, 'The progress once paused')
  async pause(@Param('id') id: string) {
    return this.batches.pause(id);
  }

  @Access('admin')
  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start items again after a pause' })
  @ApiZodResponse(200, batchProgressSchema, 'The progress once resumed')
  async resume(@Param('id') id: string) {
    return this.batches.resume(id);
  }

  @Access('admin')
  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Cancel the batch: no new items, running ones cancelled, report written',
  })
  @ApiZodResponse(202, batchCancelledSchema, 'Cancellation requested')
  async cancel(@Param('id') id: string) {
    return this.batches.cancel(id);
  }

  @Access('admin')
  @Post(':id/retry-failed')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run the failed items again, as a group (reopens a completed batch)' })
  @ApiZodResponse(202, batchRetrySchema, 'Failed items queued again')
  async retryFailed(@Param('id') id: string) {
    return this.batches.retryFailed(id);
  }

  @Access('admin')
  @Post(':id/concurrency')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change how many items run at once' })
  @ApiBody({ schema: jsonSchema(concurrencyBodySchema) })
  @ApiZodResponse(200, batchProgressSchema, 'The progress with the new window')
  async concurrency(
    @Param('id') id: string,
    @Body(new ZodPipe(concurrencyBodySchema)) body: z.output<typeof concurrencyBodySchema>,
  ) {
    return this.batches.setConcurrency(id, body.concurrency);
  }
}

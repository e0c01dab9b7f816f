import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, Sse, type MessageEvent } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { exhaustMap, filter, map, type Observable, takeWhile, timer } from 'rxjs';
import { z } from 'zod';
import { batchRequestSchema, concurrencyBodySchema, type BatchRequest } from '../../common/schemas/batch';
import { paginationSchema } from '../../common/schemas/story';
import { jsonSchema } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { BatchesService } from './batches.service';

const batchBody = batchRequestSchema();
const listQuery = paginationSchema(50, 500).extend({
  status: z.enum(['running', 'paused', 'completed', 'stopped', 'cancelled'], { error: 'status must be running, paused, completed, stopped or cancelled' }).optional(),
});
const itemsQuery = paginationSchema(100, 1000);

/** How often the SSE stream asks the workflow for its progress. */
const EVENTS_EVERY_MS = 1_000;

@ApiTags('batches')
@Controller('api/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start a batch of stories',
    description:
      'Pairs (a list, or a generator spec: count pairs from lists of names) x frameworks, one durable child story per item in a sliding window. Returns 202 with the batch ID at once.',
  })
  @ApiBody({ schema: jsonSchema(batchBody) })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async create(
    @Body(new ZodPipe(batchBody)) body: BatchRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const started = await this.batches.create(body, { idempotencyKey });
    res.setHeader('Location', started.links.self);
    return started;
  }

  @Get()
  @ApiOperation({ summary: 'Batches, newest first (from the database)' })
  async list(@Query(new ZodPipe(listQuery, 'query')) q: z.output<typeof listQuery>) {
    return this.batches.list(q.skip, q.limit, q.status);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Progress (live while running, the report after), stories made so far (paged) and failed items' })
  async get(@Param('id') id: string, @Query(new ZodPipe(itemsQuery, 'query')) q: z.output<typeof itemsQuery>) {
    return this.batches.get(id, q.skip, q.limit);
  }

  @Sse(':id/events')
  @ApiOperation({ summary: 'Server-sent progress events, one a second, until the batch closes' })
  async events(@Param('id') id: string): Promise<Observable<MessageEvent>> {
    await this.batches.snapshot(id); // unknown batch: a 404 before the stream opens
    return timer(0, EVENTS_EVERY_MS).pipe(
      // A failed poll (Temporal or the database busy) skips a tick instead of ending the stream.
      exhaustMap(() => this.batches.snapshot(id).catch(() => null)),
      filter((s): s is Awaited<ReturnType<BatchesService['snapshot']>> => s !== null),
      takeWhile((s) => s.open, true),
      map((s) => ({ type: s.open ? 'progress' : 'closed', data: { ...s.progress, status: s.status } })),
    );
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop starting items; running ones finish' })
  async pause(@Param('id') id: string) {
    return this.batches.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start items again after a pause' })
  async resume(@Param('id') id: string) {
    return this.batches.resume(id);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel the batch: no new items, running ones cancelled, report written' })
  async cancel(@Param('id') id: string) {
    return this.batches.cancel(id);
  }

  @Post(':id/retry-failed')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run the failed items again, as a group (reopens a completed batch)' })
  async retryFailed(@Param('id') id: string) {
    return this.batches.retryFailed(id);
  }

  @Post(':id/concurrency')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change how many items run at once' })
  @ApiBody({ schema: jsonSchema(concurrencyBodySchema) })
  async concurrency(@Param('id') id: string, @Body(new ZodPipe(concurrencyBodySchema)) body: z.output<typeof concurrencyBodySchema>) {
    return this.batches.setConcurrency(id, body.concurrency);
  }
}

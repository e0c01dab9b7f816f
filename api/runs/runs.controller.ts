import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  runCancelledSchema,
  runDetailSchema,
  runHistorySchema,
  runListSchema,
  runRerunSchema,
  runTerminatedSchema,
} from '../../common/schemas/run-responses';
import { runIdSchema } from '../../common/schemas/run-id';
import { ApiZodQuery, ApiZodResponse, jsonSchema } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { RunsService } from './runs.service';
import { runFiltersSchema, type RunFilters } from './visibility-query';
import { Access } from '../http/auth/access.decorator';

const historyQuery = z.strictObject({
  runId: runIdSchema.describe('A run of this workflow ID (default: its latest run)').optional(),
  verbose: z
    .enum(['true', 'false', '1', '0'], { error: 'verbose must be true or false' })
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});
const terminateBody = z.strictObject({
  reason: z
    .string({ error: 'reason is required: say why the run is terminated' })
    .trim()
    .min(1, { error: 'reason is required: say why the run is terminated' })
    .max(500, { error: 'reason must be at most 500 characters' }),
});

@ApiTags('runs')
@Controller('api/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Access('user')
  @Get()
  @ApiOperation({
    summary: 'Runs from Temporal visibility, filtered and paged',
    description:
      'Filters: type (story|batch|chat|context), status (Running, Completed, Failed, Canceled, Terminated, ContinuedAsNew, TimedOut), framework, model, provider, origin, batchId, correlationId, from/to (start time, ISO 8601); pageSize and nextPageToken page through the results.',
  })
  @ApiZodQuery(runFiltersSchema)
  @ApiZodResponse(200, runListSchema, 'One page of runs')
  async list(@Query(new ZodPipe(runFiltersSchema, 'query')) q: RunFilters) {
    return this.runs.list(q);
  }

  @Access('user')
  @Get(':workflowId')
  @ApiOperation({
    summary:
      'Status, input summary, result or failure, cost, and every LLM call attempt of one run',
  })
  @ApiZodResponse(200, runDetailSchema, 'The run')
  async get(@Param('workflowId') workflowId: string) {
    return this.runs.describe(workflowId);
  }

  @Access('user')
  @Get(':workflowId/history')
  @ApiOperation({
    summary:
      'The event history as a readable timeline: activities with attempts, durations, failures and retries',
  })
  @ApiZodQuery(historyQuery)
  @ApiZodResponse(200, runHistorySchema, 'The timeline')
  async history(
    @Param('workflowId') workflowId: string,
    @Query(new ZodPipe(historyQuery, 'query')) q: z.output<typeof historyQuery>,
  ) {
    return this.runs.history(workflowId, q);
  }

  @Access('admin')
  @Post(':workflowId/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Request cancellation of a running run' })
  @ApiZodResponse(202, runCancelledSchema, 'Cancellation requested')
  async cancel(@Param('workflowId') workflowId: string) {
    return this.runs.cancel(workflowId);
  }

  @Access('admin')
  @Post(':workflowId/terminate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Terminate a running run at once, with a reason' })
  @ApiBody({ schema: jsonSchema(terminateBody) })
  @ApiZodResponse(200, runTerminatedSchema, 'Terminated')
  async terminate(
    @Param('workflowId') workflowId: string,
    @Body(new ZodPipe(terminateBody)) body: z.output<typeof terminateBody>,
  ) {
    return this.runs.terminate(workflowId, body.reason);
  }

  @Access('user')
  @Post(':workflowId/rerun')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a new run with the same input (stories and batches)' })
  @ApiZodResponse(202, runRerunSchema, 'The new run started')
  async rerun(@Param('workflowId') workflowId: string) {
    return this.runs.rerun(workflowId);
  }
}

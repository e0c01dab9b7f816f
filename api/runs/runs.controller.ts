import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RunsService } from './runs.service';

@ApiTags('runs')
@Controller('api/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get(':workflowId')
  @ApiOperation({ summary: 'Status, result or failure, and every LLM call attempt of one run' })
  async get(@Param('workflowId') workflowId: string) {
    return this.runs.describe(workflowId);
  }
}

import { Controller, Delete, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { costQuerySchema, costRangeOf, type CostQuery } from '../../common/schemas/cost';
import {
  costSummarySchema,
  costTransactionListSchema,
  costUsageSchema,
} from '../../common/schemas/cost-responses';
import { deletedCountSchema } from '../../common/schemas/response-fields';
import { ApiZodQuery, ApiZodResponse } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { CostService } from './cost.service';
import { Access } from '../http/auth/access.decorator';
import { RateLimitClass } from '../http/rate-limit/rate-limit-class.decorator';

const rangePipe = () => new ZodPipe(costQuerySchema, 'query');
const WINDOW =
  'The window is `days` (the last N days up to now, default 30) or `from`..`to` (whole UTC days, both included, at most 366), not both.';

/** The original's cost analytics (`/api/cost`), over stories, chat and context alike. */
@ApiTags('cost')
@RateLimitClass('list_endpoints')
@Controller('api/cost')
export class CostController {
  constructor(private readonly cost: CostService) {}

  @Access('user')
  @Get('usage')
  @ApiZodQuery(costQuerySchema)
  @ApiOperation({
    summary: 'Summary, by method, by model, daily usage (whole window), top-10 costly requests',
    description: `${WINDOW} daily_usage has one entry per UTC day of the window; date_range names its first and last day.`,
  })
  @ApiZodResponse(200, costUsageSchema, 'Cost usage over the window')
  usage(@Query(rangePipe()) q: CostQuery) {
    return this.cost.usage(costRangeOf(q));
  }

  @Access('user')
  @Get('summary')
  @ApiZodQuery(costQuerySchema)
  @ApiOperation({ summary: 'Totals and averages only', description: WINDOW })
  @ApiZodResponse(200, costSummarySchema, 'Totals and averages over the window')
  summary(@Query(rangePipe()) q: CostQuery) {
    return this.cost.summary(costRangeOf(q));
  }

  @Access('user')
  @Get('transactions')
  @ApiZodQuery(costQuerySchema)
  @ApiOperation({
    summary: 'Every priced call (story, chat, context), newest first, with the total',
    description: WINDOW,
  })
  @ApiZodResponse(200, costTransactionListSchema, 'Priced calls of the window')
  transactions(@Query(rangePipe()) q: CostQuery) {
    return this.cost.transactions(costRangeOf(q));
  }

  @Access('admin')
  @Delete('usage')
  @ApiOperation({
    summary: 'Delete all stories, conversations (with their messages) and context executions',
  })
  @ApiZodResponse(200, deletedCountSchema, 'How many records were deleted')
  clear() {
    return this.cost.clearAll();
  }
}

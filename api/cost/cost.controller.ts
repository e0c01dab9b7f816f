import { Controller, Delete, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { costDaysQuerySchema, type CostDaysQuery } from '../../common/schemas/cost';
import { costSummarySchema, costTransactionListSchema, costUsageSchema } from '../../common/schemas/cost-responses';
import { deletedCountSchema } from '../../common/schemas/response-fields';
import { ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { CostService } from './cost.service';

const daysPipe = () => new ZodPipe(costDaysQuerySchema, 'query');
const DaysParam = () =>
  ApiQuery({ name: 'days', required: false, type: Number, description: '1-365, default 30' });

/** The original's cost analytics (`/api/cost`), over stories, chat and context alike. */
@ApiTags('cost')
@Controller('api/cost')
export class CostController {
  constructor(private readonly cost: CostService) {}

  @Get('usage')
  @DaysParam()
  @ApiOperation({
    summary: 'Summary, by method, by model, daily usage (whole window), top-10 costly requests',
  })
  @ApiZodResponse(200, costUsageSchema, 'Cost usage over the last `days` days')
  usage(@Query(daysPipe()) q: CostDaysQuery) {
    return this.cost.usage(q.days);
  }

  @Get('summary')
  @DaysParam()
  @ApiOperation({ summary: 'Totals and averages only' })
  @ApiZodResponse(200, costSummarySchema, 'Totals and averages over the last `days` days')
  summary(@Query(daysPipe()) q: CostDaysQuery) {
    return this.cost.summary(q.days);
  }

  @Get('transactions')
  @DaysParam()
  @ApiOperation({
    summary: 'Every priced call (story, chat, context), newest first, with the total',
  })
  @ApiZodResponse(200, costTransactionListSchema, 'Priced calls of the last `days` days')
  transactions(@Query(daysPipe()) q: CostDaysQuery) {
    return this.cost.transactions(q.days);
  }

  @Delete('usage')
  @ApiOperation({
    summary: 'Delete all stories, conversations (with their messages) and context executions',
  })
  @ApiZodResponse(200, deletedCountSchema, 'How many records were deleted')
  clear() {
    return this.cost.clearAll();
  }
}

import { Controller, Delete, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { costDaysQuerySchema, type CostDaysQuery } from '../../common/schemas/cost';
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
  usage(@Query(daysPipe()) q: CostDaysQuery) {
    return this.cost.usage(q.days);
  }

  @Get('summary')
  @DaysParam()
  @ApiOperation({ summary: 'Totals and averages only' })
  summary(@Query(daysPipe()) q: CostDaysQuery) {
    return this.cost.summary(q.days);
  }

  @Get('transactions')
  @DaysParam()
  @ApiOperation({
    summary: 'Every priced call (story, chat, context), newest first, with the total',
  })
  transactions(@Query(daysPipe()) q: CostDaysQuery) {
    return this.cost.transactions(q.days);
  }

  @Delete('usage')
  @ApiOperation({
    summary: 'Delete all stories, conversations (with their messages) and context executions',
  })
  clear() {
    return this.cost.clearAll();
  }
}

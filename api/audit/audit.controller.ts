import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { auditQuerySchema, type AuditQuery } from '../../common/schemas/audit';
import { auditPageSchema } from '../../common/schemas/audit-responses';
import { ApiZodQuery, ApiZodResponse } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { AuditService } from './audit.service';
import { Access } from '../http/auth/access.decorator';

@ApiTags('audit')
@Access('user')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'LLM call attempts (newest first) with totals',
    description:
      'One row per attempt, failed and billed-but-failed ones included. Filters: workflowId, runId, batchId, framework, outcome (success|error), errorType, origin, from/to (ISO 8601); skip/limit page.',
  })
  @ApiZodQuery(auditQuerySchema)
  @ApiZodResponse(200, auditPageSchema, 'One page of attempts with the totals')
  async list(@Query(new ZodPipe(auditQuerySchema, 'query')) q: AuditQuery) {
    return this.audit.list(q);
  }
}

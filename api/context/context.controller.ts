import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  type ContextExecuteRequest,
  contextExecuteRequestSchema,
  contextExecutionsQuerySchema,
  contextFilesQuerySchema,
} from '../../common/schemas/context';
import {
  contextExecutionDetailSchema,
  contextExecutionListSchema,
  contextExecutionResultSchema,
  contextExecutionStartedSchema,
  contextFileListSchema,
  contextUploadSchema,
  type ContextExecutionResult,
  type ContextExecutionStarted,
} from '../../common/schemas/context-responses';
import { messageSchema, TOTAL_COUNT_HEADER } from '../../common/schemas/response-fields';
import { CONTEXT_FILE_MEDIA_TYPES, CONTEXT_FILE_TYPES } from '../../activities/context/parsers';
import { ApiZodQuery, ApiZodResponse, jsonSchema } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { ContextExecutionsService } from './context-executions.service';
import { ContextFilesService, type UploadedContextFile } from './context-files.service';
import { ApiRecordId, RecordIdPipe } from '../http/record-id';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '../core/workflow-starter';
import { ContextUploadInterceptor } from './upload.interceptor';
import { Access } from '../http/auth/access.decorator';
import { RateLimitClass } from '../http/rate-limit/rate-limit-class.decorator';

const waitQuery = z.object({
  wait: z
    .enum(['true', 'false', '1', '0'], { error: 'wait must be true or false' })
    .optional()
    // The original answered in the same request; that stays the default.
    .transform((v) => v === undefined || v === 'true' || v === '1'),
});

@ApiTags('context')
@RateLimitClass('list_endpoints')
@Controller('api/context')
export class ContextController {
  constructor(
    private readonly files: ContextFilesService,
    private readonly executions: ContextExecutionsService,
  ) {}

  @Access('user')
  @Post('upload')
  @HttpCode(200)
  @UseInterceptors(ContextUploadInterceptor)
  @ApiOperation({
    summary:
      'Upload a context file (.txt, .md, .csv, .json, .pdf; max MAX_UPLOAD_BYTES, 10 MB by default)',
    description:
      'Parsed at once; the text is stored and can be used by any number of executions until deleted.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      // Only the file: another part is refused (400 naming it).
      additionalProperties: false,
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: `The file, in a part with a filename whose extension says its type (${CONTEXT_FILE_TYPES.map((t) => `.${t}`).join(', ')}). Its content must be readable as that type: text (UTF-8, UTF-16 with a BOM, or latin-1; not binary, not empty), JSON, CSV, or a PDF with text; otherwise 422 FileProcessingError`,
        },
      },
    },
    // OpenAPI 3.0 cannot constrain the filename: the part's headers say it as far as they can.
    encoding: {
      file: {
        contentType: Object.values(CONTEXT_FILE_MEDIA_TYPES).join(', '),
        headers: {
          'Content-Disposition': {
            description: `form-data; name="file"; filename="<name>.<${CONTEXT_FILE_TYPES.join('|')}>"`,
            schema: {
              type: 'string',
              pattern: `filename="[^"]*\\.(?:${CONTEXT_FILE_TYPES.join('|')})"`,
              example: 'form-data; name="file"; filename="notes.txt"',
            },
          },
        },
      },
    },
  })
  @ApiZodResponse(200, contextUploadSchema, 'The file, parsed and stored')
  async upload(@UploadedFile() file: UploadedContextFile | undefined, @Req() req: Request) {
    return this.files.upload(file, req.body as Record<string, unknown> | undefined);
  }

  @Access('user')
  @Get('files')
  @ApiOperation({ summary: 'List uploaded files, newest first' })
  @ApiZodQuery(contextFilesQuerySchema)
  @ApiZodResponse(200, contextFileListSchema, 'Uploaded files')
  async listFiles(
    @Query(new ZodPipe(contextFilesQuerySchema, 'query'))
    q: z.output<typeof contextFilesQuerySchema>,
  ) {
    return this.files.list(q.skip, q.limit);
  }

  @Access('admin')
  @Delete('files/:id')
  @ApiOperation({ summary: 'Delete an uploaded file' })
  @ApiZodResponse(200, messageSchema, 'Deleted')
  async deleteFile(@Param('id') id: string) {
    return this.files.remove(id);
  }

  @Access('user')
  @Post('execute')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask one LLM call about uploaded files',
    description:
      "Every [context] in system_prompt is replaced by the files' text. Runs contextWorkflow and waits for the answer; with ?wait=false, or when the answer takes longer than WAIT_TIMEOUT_SECONDS, returns 202 with the workflow id (the run goes on).",
  })
  @ApiBody({ schema: jsonSchema(contextExecuteRequestSchema) })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiZodQuery(waitQuery)
  @ApiZodResponse(200, contextExecutionResultSchema, 'The finished execution')
  @ApiZodResponse(
    202,
    contextExecutionStartedSchema,
    'With ?wait=false, or still running after WAIT_TIMEOUT_SECONDS: started (follow links.run, also the Location header)',
  )
  async execute(
    @Body(new ZodPipe(contextExecuteRequestSchema)) body: ContextExecuteRequest,
    @Query(new ZodPipe(waitQuery, 'query')) q: z.output<typeof waitQuery>,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ContextExecutionResult | ContextExecutionStarted> {
    const started = await this.executions.start(body, { idempotencyKey });
    const links = { run: `/api/runs/${encodeURIComponent(started.workflowId)}` };
    const waited = q.wait ? await this.executions.resultWithin(started.handle) : undefined;
    if (!waited?.done) {
      res.status(202).setHeader('Location', links.run);
      return { workflow_id: started.workflowId, run_id: started.runId, status: 'RUNNING', links };
    }
    return { ...waited.value, links };
  }

  @Access('user')
  @Get('executions')
  @ApiOperation({
    summary: 'List executions, newest first, failed ones included',
    description: `The ${TOTAL_COUNT_HEADER} header says how many executions there are in all.`,
  })
  @ApiZodQuery(contextExecutionsQuerySchema)
  @ApiZodResponse(200, contextExecutionListSchema, 'Executions')
  async listExecutions(
    @Query(new ZodPipe(contextExecutionsQuerySchema, 'query'))
    q: z.output<typeof contextExecutionsQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ) {
    const [rows, total] = await Promise.all([
      this.executions.list(q.skip, q.limit),
      this.executions.count(),
    ]);
    res.setHeader(TOTAL_COUNT_HEADER, String(total));
    return rows;
  }

  @Access('user')
  @Get('executions/:id')
  @ApiOperation({ summary: 'One execution in full, whatever its status' })
  @ApiZodResponse(200, contextExecutionDetailSchema, 'The execution')
  @ApiRecordId('id', 'The execution id')
  async getExecution(@Param('id', new RecordIdPipe()) id: number) {
    return this.executions.get(id);
  }
}

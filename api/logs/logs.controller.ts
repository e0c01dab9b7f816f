import { Controller, Get, Inject, Param, Query, Redirect } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { AppConfig } from '../../common/config';
import { logEntriesSchema, logFileListSchema } from '../../common/schemas/log-responses';
import { ApiZodQuery, ApiZodResponse } from '../http/openapi';
import { ZodPipe } from '../http/zod.pipe';
import { CONFIG } from '../core/tokens';
import { WEB_APP_PATH } from '../web-app';
import { normalizeLevel } from './log-entry';
import { listLogFiles, logDirectory, logNotFound, resolveLogFile } from './log-files';
import { readLogPage } from './log-reader';
import { Access } from '../http/auth/access.decorator';

const optionalText = (max: number, description: string) =>
  z
    .string()
    .max(max)
    .describe(description)
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined));

export const entriesQuery = z.object({
  page: z.coerce.number({ error: 'page must be a whole number ≥ 1' }).int().min(1).default(1),
  per_page: z.coerce
    .number({ error: 'per_page must be a whole number from 1 to 500' })
    .int()
    .min(1)
    .max(500)
    .default(50),
  level: optionalText(20, 'debug | info | warning | error | critical'),
  search: optionalText(200, 'case-insensitive text'),
});
type EntriesQuery = z.output<typeof entriesQuery>;

/** The page the original served at GET /logs/: the web app's Logs page now. */
export const LOG_VIEWER_PAGE = `${WEB_APP_PATH}/logs`;

/**
 * The original's log routes, under /logs (not /api), restricted to the log directory: its JSON
 * API, and its viewer's address, which sends browsers to the web app's Logs page.
 */
@ApiTags('logs')
@Access('user')
@Controller('logs')
export class LogsController {
  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  @Get()
  @ApiExcludeEndpoint()
  @Redirect(LOG_VIEWER_PAGE, 302)
  viewer(): void {}

  @Get('files')
  @ApiOperation({
    summary: 'Log files (*.log*) in the directory of LOG_FILE_PATH, newest first',
    description:
      "A bare array of paths relative to the log directory, as /logs/entries/{path} takes them (the original's shape).",
  })
  @ApiZodResponse(200, logFileListSchema, 'Log files')
  async files(): Promise<string[]> {
    const dir = logDirectory(this.config.env.LOG_FILE_PATH);
    return dir ? listLogFiles(dir) : [];
  }

  @Get('entries/*path')
  @ApiOperation({
    summary: 'One page of a log file, newest first',
    description:
      'path is relative to the log directory (as listed by /logs/files); anything outside it is 403.',
  })
  @ApiParam({ name: 'path', type: String })
  @ApiZodQuery(entriesQuery)
  @ApiZodResponse(200, logEntriesSchema, 'One page of entries')
  async entries(
    @Param('path') segments: string | string[],
    @Query(new ZodPipe(entriesQuery, 'query')) q: EntriesQuery,
  ) {
    const dir = logDirectory(this.config.env.LOG_FILE_PATH);
    if (!dir) throw logNotFound();
    // Express 5 hands a wildcard over as its (already decoded) segments.
    const requested = Array.isArray(segments) ? segments.join('/') : segments;
    const file = await resolveLogFile(dir, requested);
    const level = q.level ? normalizeLevel(q.level) : undefined;
    const { entries, pagination } = await readLogPage(file, q.page, q.per_page, {
      level,
      search: q.search?.toLowerCase(),
    }).catch((err: unknown) => {
      // Rotated away between the check and the read.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw logNotFound();
      throw err;
    });
    return {
      entries,
      pagination,
      filters: { level_filter: q.level ?? null, search_term: q.search ?? null },
    };
  }
}

import { z } from 'zod';
import { int, isoDateTime, named } from './response-fields';

/** The log viewer's JSON API (`/logs/files`, `/logs/entries/{path}`), in the original's shapes. */

export const logFileSchema = named(
  'LogFile',
  z.strictObject({
    /** Pass this to /logs/entries/{path}. */
    path: z.string(),
    name: z.string(),
    size: int,
    modified: isoDateTime,
  }),
  'A log file of the log directory',
);
export type LogFileInfo = z.infer<typeof logFileSchema>;

export const logFileListSchema = named(
  'LogFileList',
  z.strictObject({
    files: z.array(logFileSchema),
    /** False when LOG_FILE_PATH is empty (logs go to stdout only). */
    file_logging: z.boolean(),
  }),
  'Log files, newest first',
);

/** One line: pino JSON lines keep their other fields beside these. */
export const logEntrySchema = named(
  'LogEntry',
  z.looseObject({
    timestamp: z.string().nullable(),
    /** debug, info, warning, error, critical, ... (the original's names); unknown for unparsable lines. */
    level: z.string(),
    logger: z.string().nullable(),
    event: z.string(),
    line_number: int,
    raw_line: z.string(),
  }),
  'One log line, parsed',
);
export type LogEntry = z.infer<typeof logEntrySchema>;

export const paginationSchema = named(
  'LogPagination',
  z.strictObject({
    current_page: int,
    per_page: int,
    total_entries: int,
    total_pages: int,
    has_previous: z.boolean(),
    has_next: z.boolean(),
    previous_page: int.nullable(),
    next_page: int.nullable(),
  }),
  'Where a page of log entries is',
);
export type Pagination = z.infer<typeof paginationSchema>;

export const logEntriesSchema = named(
  'LogEntries',
  z.strictObject({
    entries: z.array(logEntrySchema),
    pagination: paginationSchema,
    filters: z.strictObject({ level_filter: z.string().nullable(), search_term: z.string().nullable() }),
  }),
  'One page of a log file, newest first',
);

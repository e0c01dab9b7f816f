import { api, send, withoutEmpty } from './client';
import type { LogEntries, LogFileList, LogQuery } from './types';

/** The log files next to LOG_FILE_PATH, newest first (none when file logging is off). */
export const listLogFiles = (): Promise<LogFileList> => send(api.GET('/logs/files'));

/** One page of a log file, newest first; unset ('' or undefined) filters are left out. */
export const getLogEntries = (path: string, query: LogQuery): Promise<LogEntries> =>
  send(api.GET('/logs/entries/{path}', { params: { path: { path }, query: withoutEmpty(query) } }));

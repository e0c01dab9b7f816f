/**
 * One log line as the viewer shows it. Quillflow writes pino JSON lines; plain-text lines in the
 * original's format (`[ts] [LEVEL] [logger] event | k=v ...`) and anything else (a stack trace
 * printed by a crashing process) are shown too rather than dropped.
 */
import type { LogEntry } from '../../common/schemas/log-responses';

export type { LogEntry };

const PINO_LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
// The viewer and the `level` filter use the original's names (warning, critical).
const ALIASES: Record<string, string> = { warn: 'warning', fatal: 'critical', err: 'error' };

export function normalizeLevel(level: unknown): string {
  if (typeof level === 'number') return normalizeLevel(PINO_LEVELS[level] ?? String(level));
  if (typeof level !== 'string' || level.trim() === '') return 'unknown';
  const l = level.trim().toLowerCase();
  return ALIASES[l] ?? l;
}

function timestampOf(value: unknown): string | null {
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return null;
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const TEXT_LINE = /^\[([^\]]+)\]\s+\[([A-Za-z]+)\]\s+\[([^\]]*)\]\s+(.*?)(?:\s+\|\s+(.*))?$/;

function parseKeyValues(text: string | undefined): Record<string, string> {
  const kv: Record<string, string> = {};
  for (const m of (text ?? '').matchAll(/([A-Za-z_][\w.-]*)=(\S*)/g)) kv[m[1]] = m[2];
  return kv;
}

export function parseLogLine(raw: string, lineNumber: number): LogEntry {
  const line = raw.replace(/\r$/, '');
  if (line.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const { time, timestamp, level, name, logger, msg, message, event, ...kv } =
          parsed as Record<string, unknown>;
        return {
          ...kv,
          timestamp: timestampOf(time ?? timestamp),
          level: normalizeLevel(level),
          logger: typeof (name ?? logger) === 'string' ? String(name ?? logger) : null,
          event: textOf(msg ?? event ?? message),
          line_number: lineNumber,
          raw_line: line,
        };
      }
    } catch {
      /* not JSON after all: shown as text below */
    }
  }
  const m = TEXT_LINE.exec(line);
  if (m) {
    return {
      ...parseKeyValues(m[5]),
      timestamp: m[1],
      level: normalizeLevel(m[2]),
      logger: m[3] || null,
      event: m[4],
      line_number: lineNumber,
      raw_line: line,
    };
  }
  return {
    timestamp: null,
    level: 'unknown',
    logger: null,
    event: line,
    line_number: lineNumber,
    raw_line: line,
  };
}

export interface EntryFilter {
  /** Already normalized (see normalizeLevel). */
  level?: string;
  /** Lower-cased. */
  search?: string;
}

/** Level: exact match on the normalized name; search: case-insensitive substring of the line or its level. */
export function matchesFilter(e: LogEntry, f: EntryFilter): boolean {
  if (f.level && e.level !== f.level) return false;
  if (f.search && !`${e.raw_line}\n${e.level}`.toLowerCase().includes(f.search)) return false;
  return true;
}

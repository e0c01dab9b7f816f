import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * One logger factory for every process. Secrets are redacted by path, and request bodies are
 * never logged by any caller (the HTTP logger serialises method, path and status only).
 */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'password',
  '*.password',
  'token',
  '*.token',
];

export interface LoggerSettings {
  level: string;
  pretty: boolean;
  /** Empty string disables the file. JSON lines, one file per rotation period. */
  filePath: string;
  rotationHours: number;
  retentionDays: number;
  /** Console fd: 1 (stdout) by default; 2 for the MCP stdio server, whose stdout is the protocol. */
  destination?: 1 | 2;
}

export function createLogger(name: string, s: LoggerSettings): Logger {
  const options: LoggerOptions = {
    name,
    level: s.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const dest = s.destination ?? 1;
  const streams: pino.StreamEntry[] = [
    {
      level: s.level as pino.Level,
      stream: s.pretty
        ? pino.transport({ target: 'pino-pretty', options: { colorize: true, destination: dest } })
        : pino.destination({ dest, sync: false }),
    },
  ];
  if (s.filePath) {
    fs.mkdirSync(path.dirname(path.resolve(s.filePath)), { recursive: true });
    streams.push({
      level: s.level as pino.Level,
      stream: pino.transport({
        target: 'pino-roll',
        options: {
          file: path.resolve(s.filePath),
          frequency: s.rotationHours * 3600 * 1000,
          limit: { count: Math.max(1, Math.ceil((s.retentionDays * 24) / s.rotationHours)) },
          mkdir: true,
          dateFormat: 'yyyy-MM-dd-HH',
        },
      }),
    });
  }
  return pino(options, pino.multistream(streams));
}

export function loggerSettingsFromEnv(env: {
  LOG_LEVEL: string;
  LOG_PRETTY: boolean;
  DEBUG_MODE: boolean;
  LOG_FILE_PATH: string;
  LOG_ROTATION_HOURS: number;
  LOG_RETENTION_DAYS: number;
}): LoggerSettings {
  return {
    level: env.DEBUG_MODE ? 'debug' : env.LOG_LEVEL,
    pretty: env.LOG_PRETTY || env.DEBUG_MODE,
    filePath: env.LOG_FILE_PATH,
    rotationHours: env.LOG_ROTATION_HOURS,
    retentionDays: env.LOG_RETENTION_DAYS,
  };
}

export type { Logger };

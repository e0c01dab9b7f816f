import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../http/api-error';

/** Rotated files keep ".log" in their names (pino-roll: app.2026-01-02-03.1.log); the original globbed `*.log*`. */
const LOG_NAME = /\.log/i;

export const accessDenied = () =>
  new ApiError(HttpStatus.FORBIDDEN, 'AccessDenied', 'Access denied', 'ACCESS_DENIED');
export const logNotFound = () =>
  new ApiError(HttpStatus.NOT_FOUND, 'NotFound', 'Log file not found', 'NOT_FOUND');

/** The directory holding LOG_FILE_PATH and its rotations; undefined when file logging is off. */
export function logDirectory(logFilePath: string): string | undefined {
  return logFilePath ? path.dirname(path.resolve(logFilePath)) : undefined;
}

function isInside(dir: string, candidate: string): boolean {
  const rel = path.relative(dir, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * The real path of a log file named relative to the log directory. Checked before anything
 * touches the disk (so nothing outside the directory can be probed for existence), then again
 * after resolving symlinks, which must not lead out of the directory either.
 */
export async function resolveLogFile(dir: string, requested: string): Promise<string> {
  // Backslashes separate paths on Windows; no log file of ours has one in its name.
  if (!requested || /[\0\\]/.test(requested) || path.isAbsolute(requested)) throw accessDenied();
  const candidate = path.resolve(dir, requested);
  if (!isInside(dir, candidate) || !LOG_NAME.test(path.basename(candidate))) throw accessDenied();
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw logNotFound();
  }
  if (!isInside(await fs.realpath(dir), real)) throw accessDenied();
  const st = await fs.stat(real);
  if (!st.isFile()) throw logNotFound();
  return real;
}

/**
 * `*.log*` files of the directory, newest first, by name (= their path relative to it); symlinks
 * are followed, but only to files inside it.
 */
export async function listLogFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const files = await Promise.all(
    names
      .filter((n) => LOG_NAME.test(n))
      .map(async (name) => {
        try {
          const st = await fs.stat(await resolveLogFile(dir, name));
          return { name, mtimeMs: st.mtimeMs };
        } catch {
          return undefined;
        }
      }),
  );
  return files
    .filter((f): f is NonNullable<typeof f> => f !== undefined)
    .sort((a, b) => b.mtimeMs - a.mtimeMs || a.name.localeCompare(b.name))
    .map((f) => f.name);
}

import { parseCsv } from './csv';
import { ContextFileError } from './errors';
import type { ContextFileType } from './file-types';
import { parseJson } from './json';
import { parsePdf } from './pdf';
import { parseText } from './text';

export { ContextFileError } from './errors';
export {
  CONTEXT_FILE_MEDIA_TYPES,
  CONTEXT_FILE_TYPES,
  contextFileTypeOf,
  UNSUPPORTED_FILE_TYPE_MESSAGE,
  type ContextFileType,
} from './file-types';
export { sanitizeFilename } from './filename';

export interface ParsedContextFile {
  /** `=== FILE: <name> ===` followed by the file's text: what goes into `[context]`. */
  content: string;
  processingTimeMs: number;
}

const PARSERS: Record<ContextFileType, (bytes: Uint8Array) => string | Promise<string>> = {
  txt: parseText,
  md: parseText,
  json: parseJson,
  csv: parseCsv,
  pdf: parsePdf,
};

/**
 * Turns an upload into prompt text. Quick and deterministic, so it runs once at upload time
 * and only the text is stored. Throws ContextFileError for files that cannot be read.
 */
export async function parseContextFile(
  name: string,
  type: ContextFileType,
  bytes: Uint8Array,
): Promise<ParsedContextFile> {
  const started = performance.now();
  // NUL can come out of a PDF's text; PostgreSQL text columns cannot hold it.
  const body = (await PARSERS[type](bytes)).replaceAll('\u0000', '');
  if (body.trim() === '') throw new ContextFileError('File contains no text');
  return {
    content: `=== FILE: ${name} ===\n\n${body}`,
    processingTimeMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

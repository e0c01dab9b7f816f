import { CONTEXT_PLACEHOLDER } from '../../common/schemas/context';

export interface FileText {
  originalFilename: string;
  processedContent: string;
}

export interface FileMeta {
  originalFilename: string;
  fileType: string;
  fileSizeBytes: number;
  processedContentLength: number;
  processingTimeMs: number;
}

/** The files' text as one block, each under a `--- File: <name> ---` line (the original's layout). */
export function combineFiles(files: FileText[]): string {
  return files.map((f) => `\n\n--- File: ${f.originalFilename} ---\n${f.processedContent}`).join('');
}

/**
 * Replaces every `[context]`. split/join rather than String.replace: the files' text may contain
 * `$&` or `$1`, which a replacement string would interpret.
 */
export function fillContext(systemPrompt: string, context: string): string {
  return systemPrompt.split(CONTEXT_PLACEHOLDER).join(context);
}

/** The execution row's file columns: names joined, "multiple" for several files, sums. */
export function summarizeFiles(files: FileMeta[]) {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    originalFilename: files.map((f) => f.originalFilename).join(', ').slice(0, 2000),
    fileType: files.length === 1 ? files[0].fileType : 'multiple',
    fileSizeBytes: files.reduce((n, f) => n + f.fileSizeBytes, 0),
    processedContentLength: files.reduce((n, f) => n + f.processedContentLength, 0),
    fileProcessingTimeMs: round(files.reduce((n, f) => n + f.processingTimeMs, 0)),
  };
}

/** Ids not among the found files, in the order asked for. */
export function missingIds(asked: string[], found: Array<{ id: string }>): string[] {
  const have = new Set(found.map((f) => f.id));
  return asked.filter((id) => !have.has(id));
}

export function filesNotFoundMessage(ids: string[]): string {
  return `Files not found: ${ids.join(', ')}. Please upload files first.`;
}

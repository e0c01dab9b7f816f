import { CONTEXT_PLACEHOLDER } from '../../common/schemas/context';
import { messageTokens } from '../chat/history-budget';
import { promptTokenBound, textBound, type TextBound } from '../llm/cost-estimate';
import { type BoundedRequest, type RequestLimits, singleCall } from '../llm/request-bounds';

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

const fileHeading = (name: string) => `\n\n--- File: ${name} ---\n`;

/** The files' text as one block, each under a `--- File: <name> ---` line (the original's layout). */
export function combineFiles(files: FileText[]): string {
  return files.map((f) => `${fileHeading(f.originalFilename)}${f.processedContent}`).join('');
}

/** The files' text as `[context]` gets it, measured (tokens and characters). */
export function contextTextBound(files: FileText[]): TextBound {
  return textBound([combineFiles(files)]);
}

/**
 * The same without reading the text, from the stored lengths: a UTF-16 unit is at most 3 UTF-8
 * bytes and a token at least one byte. When even this fits, the text need not be read.
 */
export function contextTextUpperBound(
  files: Array<{ originalFilename: string; processedContentLength: number }>,
): TextBound {
  const chars = files.reduce(
    (n, f) => n + fileHeading(f.originalFilename).length + f.processedContentLength,
    0,
  );
  return { tokens: 3 * chars, chars };
}

/**
 * The context call's input tokens (system prompt with every `[context]` filled in, and the user
 * prompt), counted without building the filled prompt: k placeholders are k times the files'
 * text, which may be far larger than what could be held in memory.
 */
export function contextPromptTokens(
  systemPrompt: string,
  userPrompt: string,
  context: TextBound,
): number {
  const parts = systemPrompt.split(CONTEXT_PLACEHOLDER);
  const k = parts.length - 1;
  const rest = parts.join('');
  return promptTokenBound([
    // +1 per placeholder: the inserted text may shift a token boundary.
    {
      tokens: messageTokens(rest) + k * (context.tokens + 1),
      chars: rest.length + k * context.chars,
    },
    { tokens: messageTokens(userPrompt), chars: userPrompt.length },
  ]);
}

/** A context prompt as the request bounds see it: one call. */
export function contextBoundedRequest(
  limits: RequestLimits,
  systemPrompt: string,
  userPrompt: string,
  context: TextBound,
): BoundedRequest {
  return {
    what: 'The context prompt (system prompt with [context] filled in by the files, plus the user prompt)',
    calls: [singleCall(limits, contextPromptTokens(systemPrompt, userPrompt, context))],
    fix: {
      tokens:
        'Use fewer or smaller files, or fewer [context] placeholders (each one adds the text of every file again).',
      cost: 'Use fewer or smaller files or fewer [context] placeholders, or raise MAX_REQUEST_COST_USD.',
    },
  };
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
    originalFilename: files
      .map((f) => f.originalFilename)
      .join(', ')
      .slice(0, 2000),
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

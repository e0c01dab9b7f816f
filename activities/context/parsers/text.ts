import { decodeText } from './decode-text';
import { ContextFileError } from './errors';

/** Plain text and Markdown: the text itself, trimmed. */
export function parseText(bytes: Uint8Array): string {
  const text = decodeText(bytes).trim();
  if (text === '') throw new ContextFileError('Text file is empty');
  return text;
}

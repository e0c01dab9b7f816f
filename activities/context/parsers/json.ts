import { decodeText } from './decode-text';
import { ContextFileError } from './errors';

/** JSON, validated and pretty-printed (2 spaces) under a heading, as the original did. */
export function parseJson(bytes: Uint8Array): string {
  const text = decodeText(bytes);
  if (text.trim() === '') throw new ContextFileError('Invalid JSON format: the file is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ContextFileError(`Invalid JSON format: ${(err as Error).message}`);
  }
  let pretty: string;
  try {
    pretty = JSON.stringify(value, null, 2);
  } catch {
    throw new ContextFileError('Invalid JSON format: nested too deeply');
  }
  return `JSON Data Structure:\n${'-'.repeat(20)}\n${pretty}`;
}

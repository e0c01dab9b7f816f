/** What the context feature accepts: one parser per type, chosen by the file's extension. */
export const CONTEXT_FILE_TYPES = ['txt', 'md', 'csv', 'json', 'pdf'] as const;
export type ContextFileType = (typeof CONTEXT_FILE_TYPES)[number];

/** The media type of each (for the OpenAPI document: the type is read from the extension). */
export const CONTEXT_FILE_MEDIA_TYPES: Record<ContextFileType, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
};

export const UNSUPPORTED_FILE_TYPE_MESSAGE = `Unsupported file type. Supported formats: ${CONTEXT_FILE_TYPES.map((t) => `.${t}`).join(', ')}`;

/** The type for a (sanitized) filename, or undefined when its extension is not supported. */
export function contextFileTypeOf(filename: string): ContextFileType | undefined {
  const dot = filename.lastIndexOf('.');
  if (dot <= 0 && !filename.startsWith('.')) return undefined;
  const ext = filename.slice(dot + 1).toLowerCase();
  return (CONTEXT_FILE_TYPES as readonly string[]).includes(ext)
    ? (ext as ContextFileType)
    : undefined;
}

/**
 * A file that cannot be turned into prompt text: the uploader's problem (HTTP 422), never ours.
 * Messages describe the file, never quote its content.
 */
export class ContextFileError extends Error {
  override name = 'ContextFileError';
}

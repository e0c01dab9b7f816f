const MAX_FILENAME_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The name a file is stored and shown under: the last path segment only (a client-supplied
 * `../../etc/passwd.txt` becomes `passwd.txt`), without control characters, at most 255
 * characters with the extension kept. Undefined when nothing usable is left.
 */
export function sanitizeFilename(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const name = base.replace(CONTROL_CHARS, '').trim();
  if (name === '' || /^\.+$/.test(name)) return undefined;
  if (name.length <= MAX_FILENAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return name.slice(0, MAX_FILENAME_LENGTH - ext.length) + ext;
}

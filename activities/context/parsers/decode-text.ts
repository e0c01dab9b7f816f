import { ContextFileError } from './errors';

// Signatures of formats people upload under a text extension by mistake; naming the real
// format makes the 422 actionable.
const MAGIC: Array<[string, number[]]> = [
  ['a PDF document (upload it as .pdf)', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a ZIP archive or Office document', [0x50, 0x4b, 0x03, 0x04]],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a gzip archive', [0x1f, 0x8b]],
];

const utf8 = new TextDecoder('utf-8', { fatal: true });

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
}

function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.indexOf(0) !== -1) return true;
  // C0 controls other than tab, newline, vertical tab, form feed, carriage return and escape.
  const sample = bytes.subarray(0, 8192);
  let controls = 0;
  for (const b of sample) if (b < 0x20 && !(b >= 0x09 && b <= 0x0d) && b !== 0x1b) controls++;
  return controls > sample.length * 0.05;
}

/**
 * Text of an uploaded text-like file: UTF-8 (BOM dropped), UTF-16 when it has a BOM, otherwise
 * latin-1 when the bytes are not valid UTF-8, as the original did. Binary content under a text
 * extension is refused instead of being fed to the model as mojibake.
 */
export function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) bytes = bytes.subarray(3);
  else if (startsWith(bytes, [0xff, 0xfe]))
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (startsWith(bytes, [0xfe, 0xff]))
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  for (const [what, sig] of MAGIC) {
    if (startsWith(bytes, sig)) throw new ContextFileError(`File content is ${what}, not text`);
  }
  if (looksBinary(bytes)) throw new ContextFileError('File content is binary, not text');
  try {
    return utf8.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}

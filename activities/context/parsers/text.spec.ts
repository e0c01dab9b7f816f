import { decodeText } from './decode-text';
import { parseText } from './text';

describe('parseText / decodeText', () => {
  it('reads UTF-8 and trims', () => {
    expect(parseText(Buffer.from('\n  Café — naïve 🎄 \n\n'))).toBe('Café — naïve 🎄');
  });

  it('drops a UTF-8 BOM and decodes UTF-16 with a BOM', () => {
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toBe('hi');
    expect(
      decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('José', 'utf16le')])),
    ).toBe('José');
  });

  it('falls back to latin-1 when the bytes are not valid UTF-8', () => {
    expect(parseText(Buffer.from('Jos\xe9 and M\xfcller', 'latin1'))).toBe('José and Müller');
  });

  it('refuses an empty or blank file', () => {
    expect(() => parseText(Buffer.alloc(0))).toThrow('Text file is empty');
    expect(() => parseText(Buffer.from(' \n\t '))).toThrow('Text file is empty');
  });

  it('refuses binary content under a text extension, naming known formats', () => {
    expect(() =>
      parseText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])),
    ).toThrow('a PNG image');
    expect(() => parseText(Buffer.from('%PDF-1.7\n...'))).toThrow(/a PDF document/);
    expect(() => parseText(Buffer.from([0x41, 0x00, 0x42]))).toThrow(
      'File content is binary, not text',
    );
    expect(() =>
      parseText(Buffer.from(Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 0x02 : 0x41)))),
    ).toThrow(/binary/);
  });
});

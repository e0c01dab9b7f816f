import { contextFileTypeOf } from './file-types';
import { sanitizeFilename } from './filename';

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['..\\..\\Windows\\win.ini.txt', 'win.ini.txt'],
    ['C:\\Users\\me\\notes.md', 'notes.md'],
    ['  report\u0000\u0007.csv  ', 'report.csv'],
    ['Café résumé.pdf', 'Café résumé.pdf'],
  ])('%j -> %j', (raw, expected) => {
    expect(sanitizeFilename(raw)).toBe(expected);
  });

  it.each(['', '..', '../', '/', '   ', '\u0001'])('%j has no usable name', (raw) => {
    expect(sanitizeFilename(raw)).toBeUndefined();
  });

  it('caps the length at 255 characters and keeps the extension', () => {
    const name = sanitizeFilename(`${'x'.repeat(400)}.json`)!;
    expect(name).toHaveLength(255);
    expect(name.endsWith('.json')).toBe(true);
  });
});

describe('contextFileTypeOf', () => {
  it.each([
    ['a.txt', 'txt'],
    ['A.TXT', 'txt'],
    ['notes.md', 'md'],
    ['data.csv', 'csv'],
    ['x.y.json', 'json'],
    ['doc.pdf', 'pdf'],
    ['doc.docx', undefined],
    ['README', undefined],
    ['archive.txt.exe', undefined],
  ])('%j -> %j', (name, type) => {
    expect(contextFileTypeOf(name)).toBe(type);
  });
});

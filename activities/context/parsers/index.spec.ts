import { makePdf } from '../../../test/fixtures/make-pdf';
import { ContextFileError, parseContextFile } from './index';

describe('parseContextFile', () => {
  it('prefixes every type with the file heading and times the parse', async () => {
    const txt = await parseContextFile('notes.txt', 'txt', Buffer.from(' hello '));
    expect(txt.content).toBe('=== FILE: notes.txt ===\n\nhello');
    expect(txt.processingTimeMs).toBeGreaterThanOrEqual(0);
    expect((await parseContextFile('a.md', 'md', Buffer.from('# Title'))).content).toBe(
      '=== FILE: a.md ===\n\n# Title',
    );
    expect((await parseContextFile('d.json', 'json', Buffer.from('1'))).content).toBe(
      '=== FILE: d.json ===\n\nJSON Data Structure:\n--------------------\n1',
    );
    expect((await parseContextFile('t.csv', 'csv', Buffer.from('a\n1'))).content).toMatch(
      /^=== FILE: t\.csv ===\n\nCSV Data:\n/,
    );
    expect((await parseContextFile('p.pdf', 'pdf', makePdf(['Page text']))).content).toBe(
      '=== FILE: p.pdf ===\n\n--- Page 1 ---\nPage text',
    );
  });

  it('raises ContextFileError for unreadable files', async () => {
    await expect(parseContextFile('e.txt', 'txt', Buffer.alloc(0))).rejects.toBeInstanceOf(
      ContextFileError,
    );
    await expect(parseContextFile('e.json', 'json', Buffer.from('{'))).rejects.toThrow(
      /Invalid JSON format/,
    );
  });
});

import { combineFiles, fillContext, missingIds, summarizeFiles } from './build-context';

describe('context assembly', () => {
  const files = [
    { originalFilename: 'a.txt', processedContent: '=== FILE: a.txt ===\n\nalpha $& $1' },
    { originalFilename: 'b.csv', processedContent: '=== FILE: b.csv ===\n\nCSV Data:' },
  ];

  it('puts each file under its own heading', () => {
    expect(combineFiles(files)).toBe(
      '\n\n--- File: a.txt ---\n=== FILE: a.txt ===\n\nalpha $& $1\n\n--- File: b.csv ---\n=== FILE: b.csv ===\n\nCSV Data:',
    );
  });

  it('replaces every [context] literally, leaving braces and $ patterns alone', () => {
    const ctx = combineFiles(files);
    const out = fillContext('Use {this}: [context]\nAgain: [context]', ctx);
    expect(out).toBe(`Use {this}: ${ctx}\nAgain: ${ctx}`);
    expect(out).toContain('alpha $& $1');
  });

  it('summarizes one file by its type and several as "multiple"', () => {
    const meta = (name: string, type: string) => ({
      originalFilename: name,
      fileType: type,
      fileSizeBytes: 10,
      processedContentLength: 30,
      processingTimeMs: 1.234,
    });
    expect(summarizeFiles([meta('a.txt', 'txt')])).toEqual({
      originalFilename: 'a.txt',
      fileType: 'txt',
      fileSizeBytes: 10,
      processedContentLength: 30,
      fileProcessingTimeMs: 1.23,
    });
    expect(summarizeFiles([meta('a.txt', 'txt'), meta('b.pdf', 'pdf')])).toMatchObject({
      originalFilename: 'a.txt, b.pdf',
      fileType: 'multiple',
      fileSizeBytes: 20,
      processedContentLength: 60,
    });
  });

  it('lists missing ids in request order', () => {
    expect(missingIds(['x', 'a', 'y'], [{ id: 'a' }])).toEqual(['x', 'y']);
  });
});

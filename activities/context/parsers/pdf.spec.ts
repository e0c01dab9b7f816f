import { makePdf } from '../../../test/fixtures/make-pdf';
import { ContextFileError } from './errors';
import { parsePdf } from './pdf';

describe('parsePdf', () => {
  it('extracts the text of each page under a page heading', async () => {
    const out = await parsePdf(makePdf(['Quarterly revenue grew (a lot)', 'Second page: risks']));
    expect(out).toBe(
      '--- Page 1 ---\nQuarterly revenue grew (a lot)\n\n--- Page 2 ---\nSecond page: risks',
    );
  });

  it('skips pages without text but keeps real page numbers', async () => {
    expect(await parsePdf(makePdf(['', 'Only page two has words']))).toBe(
      '--- Page 2 ---\nOnly page two has words',
    );
  });

  it('refuses a PDF without any text (image-based)', async () => {
    await expect(parsePdf(makePdf(['', '']))).rejects.toThrow(
      'Could not extract text from PDF (may be image-based)',
    );
  });

  it('refuses bytes that are not a PDF', async () => {
    await expect(parsePdf(Buffer.from('just some text'))).rejects.toBeInstanceOf(ContextFileError);
    await expect(parsePdf(Buffer.from('%PDF-1.4\ngarbage without structure'))).rejects.toThrow(
      /Could not read PDF/,
    );
  });

  it("leaves the caller's buffer intact", async () => {
    const bytes = makePdf(['Hello']);
    const copy = Buffer.from(bytes);
    await parsePdf(bytes);
    expect(Buffer.compare(bytes, copy)).toBe(0);
  });
});

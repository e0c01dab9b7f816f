import { parseCsv, sniffDelimiter } from './csv';

describe('sniffDelimiter', () => {
  it.each([
    ['name,age\nAda,36\nAlan,41', ','],
    ['name;age\nAda;36\nAlan;41', ';'],
    ['name\tage\nAda\t36\nAlan\t41', '\t'],
    ['name|age\nAda|36\nAlan|41', '|'],
    // Commas inside quotes do not count; semicolons split every row evenly.
    ['"Lovelace, Ada";36\n"Turing, Alan";41', ';'],
    ['single\ncolumn\nonly', ','],
  ])('%j -> %j', (text, expected) => {
    expect(sniffDelimiter(text)).toBe(expected);
  });
});

describe('parseCsv', () => {
  it('renders headers, rows and totals in the original layout', () => {
    expect(parseCsv(Buffer.from('name;age\nAda;36\n"Turing; Alan";41\n'))).toBe(
      [
        'CSV Data:',
        '='.repeat(40),
        'Headers: name | age',
        '-'.repeat(40),
        'Row 1: Ada | 36',
        'Row 2: Turing; Alan | 41',
        '',
        'Total rows: 2 (excluding header)',
        'Total columns: 2',
      ].join('\n'),
    );
  });

  it('shows at most 50 rows and says how many more there are', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `r${i + 1},${i}`);
    const out = parseCsv(Buffer.from(['id,value', ...rows].join('\r\n')));
    expect(out).toContain('Row 50: r50 | 49');
    expect(out).not.toContain('Row 51:');
    expect(out).toContain('... and 70 more rows');
    expect(out).toContain('Total rows: 120 (excluding header)');
  });

  it('counts the widest row as the number of columns and tolerates ragged rows', () => {
    const out = parseCsv(Buffer.from('a,b\n1,2,3\n4'));
    expect(out).toContain('Row 1: 1 | 2 | 3');
    expect(out).toContain('Row 2: 4');
    expect(out).toContain('Total columns: 3');
  });

  it('accepts a header-only file and refuses an empty one', () => {
    expect(parseCsv(Buffer.from('a,b\n'))).toContain('Total rows: 0 (excluding header)');
    expect(() => parseCsv(Buffer.from('\n\n'))).toThrow('CSV file is empty');
  });

  it('refuses malformed CSV with a clear message', () => {
    expect(() => parseCsv(Buffer.from('a,b\n"unterminated,1\n'))).toThrow(/^Invalid CSV format: /);
  });
});

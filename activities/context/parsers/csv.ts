import { parse } from 'csv-parse/sync';
import { decodeText } from './decode-text';
import { ContextFileError } from './errors';

export const CSV_MAX_ROWS = 50;
const CANDIDATES = [',', ';', '\t', '|'] as const;
const SNIFF_CHARS = 1024;

/** Occurrences of `delimiter` outside double quotes, per line of the sample. */
function countsPerLine(lines: string[], delimiter: string): number[] {
  return lines.map((line) => {
    let n = 0;
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === delimiter && !quoted) n++;
    }
    return n;
  });
}

/**
 * The delimiter among , ; tab | that splits the first 1 KB most often and most evenly
 * (the idea of Python's csv.Sniffer, which the original used); ',' when none appears.
 */
export function sniffDelimiter(text: string): string {
  let lines = text.slice(0, SNIFF_CHARS).split(/\r\n|\n|\r/);
  // The last line of a cut sample is partial; it would only add noise.
  if (text.length > SNIFF_CHARS && lines.length > 1) lines = lines.slice(0, -1);
  lines = lines.filter((l) => l.trim() !== '');
  let best: string = ',';
  let bestScore = 0;
  for (const d of CANDIDATES) {
    const counts = countsPerLine(lines, d);
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    const mean = total / counts.length;
    const std = Math.sqrt(counts.reduce((a, c) => a + (c - mean) ** 2, 0) / counts.length);
    // Rows that all split into the same number of fields are what a table looks like.
    const score = mean / (1 + std);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/**
 * A CSV table as readable text: headers, at most 50 data rows, then totals, in the layout
 * of the original (so prompts written for it keep working).
 */
export function parseCsv(bytes: Uint8Array): string {
  const text = decodeText(bytes);
  if (text.trim() === '') throw new ContextFileError('CSV file is empty');
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    });
  } catch (err) {
    throw new ContextFileError(`Invalid CSV format: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new ContextFileError('CSV file is empty');
  const [headers, ...rows] = records as [string[], ...string[][]];
  const columns = Math.max(...records.map((r) => r.length));
  const out = ['CSV Data:', '='.repeat(40), `Headers: ${headers.join(' | ')}`, '-'.repeat(40)];
  rows.slice(0, CSV_MAX_ROWS).forEach((r, i) => out.push(`Row ${i + 1}: ${r.join(' | ')}`));
  if (rows.length > CSV_MAX_ROWS) out.push(`... and ${rows.length - CSV_MAX_ROWS} more rows`);
  out.push('', `Total rows: ${rows.length} (excluding header)`, `Total columns: ${columns}`);
  return out.join('\n');
}

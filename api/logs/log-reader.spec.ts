import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { paginate, readLogPage } from './log-reader';

describe('paginate', () => {
  it('describes the page and its neighbours', () => {
    expect(paginate(2, 10, 25)).toEqual({
      current_page: 2,
      per_page: 10,
      total_entries: 25,
      total_pages: 3,
      has_previous: true,
      has_next: true,
      previous_page: 1,
      next_page: 3,
    });
    expect(paginate(1, 50, 0)).toMatchObject({
      total_pages: 0,
      has_previous: false,
      has_next: false,
      previous_page: null,
      next_page: null,
    });
    expect(paginate(3, 10, 25)).toMatchObject({ has_next: false, next_page: null });
  });
});

describe('readLogPage', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qf-logreader-'));
    file = path.join(dir, 'app.log');
    const lines: string[] = [];
    for (let i = 1; i <= 23; i++) {
      const level = i % 5 === 0 ? 'error' : i % 3 === 0 ? 'warn' : 'info';
      lines.push(
        JSON.stringify({
          level,
          time: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
          name: 'api',
          msg: `event ${i}`,
          n: i,
        }),
      );
      if (i === 10) lines.push('');
    }
    lines.push('[2025-07-25T10:00:00Z] [ERROR] [legacy] Plain text failure | code=E1');
    fs.writeFileSync(file, lines.join('\n') + '\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('pages newest first, skipping blank lines but keeping real line numbers', async () => {
    const p1 = await readLogPage(file, 1, 5, {});
    expect(p1.pagination).toMatchObject({ total_entries: 24, total_pages: 5, has_next: true });
    expect(p1.entries.map((e) => e.event)).toEqual([
      'Plain text failure',
      'event 23',
      'event 22',
      'event 21',
      'event 20',
    ]);
    expect(p1.entries[0].line_number).toBe(25);
    expect(p1.entries[1].line_number).toBe(24);
    const p5 = await readLogPage(file, 5, 5, {});
    expect(p5.entries.map((e) => e.event)).toEqual(['event 4', 'event 3', 'event 2', 'event 1']);
    expect(p5.entries[3].line_number).toBe(1);
  });

  it('returns an empty page past the end', async () => {
    const r = await readLogPage(file, 9, 5, {});
    expect(r.entries).toEqual([]);
    expect(r.pagination).toMatchObject({ current_page: 9, total_pages: 5, has_next: false });
  });

  it('filters by level and search before paging', async () => {
    const errors = await readLogPage(file, 1, 50, { level: 'error' });
    expect(errors.entries.map((e) => e.event)).toEqual([
      'Plain text failure',
      'event 20',
      'event 15',
      'event 10',
      'event 5',
    ]);
    const warnings = await readLogPage(file, 1, 2, { level: 'warning' });
    expect(warnings.pagination.total_entries).toBe(6);
    const search = await readLogPage(file, 1, 50, { search: 'event 1' });
    expect(search.entries.map((e) => e.n)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 1]);
    const both = await readLogPage(file, 1, 50, { level: 'error', search: 'code=e1' });
    expect(both.entries).toHaveLength(1);
  });

  it('reads an empty file', async () => {
    const empty = path.join(dir, 'empty.log');
    fs.writeFileSync(empty, '');
    await expect(readLogPage(empty, 1, 50, {})).resolves.toEqual({
      entries: [],
      pagination: expect.objectContaining({ total_entries: 0 }),
    });
  });
});

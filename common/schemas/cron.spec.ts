import { CRON_REGEX, describeCronProblem, intRangePattern } from './cron';
import { scheduleRequestSchema } from './schedule';

describe('intRangePattern', () => {
  it.each([
    [0, 59],
    [23, 59],
    [1, 31],
    [0, 7],
    [5, 5],
    [12, 12],
  ])('matches exactly the integers %i..%i', (lo, hi) => {
    const re = new RegExp(`^(?:${intRangePattern(lo, hi)})$`);
    for (let n = 0; n <= 120; n++) expect([n, re.test(String(n))]).toEqual([n, n >= lo && n <= hi]);
    expect(re.test('07')).toBe(false);
  });
});

describe('CRON_REGEX', () => {
  it.each([
    '0 3 * * *',
    '*/15 9-17 * * 1-5',
    '0 0 * * 7',
    '0 0 31 2 *',
    '0 0-23/2 1,15 * *',
    '5-5 * * * *',
    '59 23 31 12 0',
    '@daily',
    '@hourly',
  ])('accepts %j', (e) => expect(CRON_REGEX.test(e)).toBe(true));
  it.each([
    ['61 25 * * *', 'minute "61"'],
    ['0 24 * * *', 'hour "24"'],
    ['FOO BAR BAZ QUX QUUX', 'minute "FOO"'],
    ['0 0 5-3 * *', 'day of month "5-3"'],
    ['*/0 * * * *', 'minute "*/0"'],
    ['0 0 0 * *', 'day of month "0"'],
    ['0 0 * 13 *', 'month "13"'],
    ['0 0 * * 8', 'day of week "8"'],
    ['0 0 L * *', 'day of month "L"'],
    [' 0 * * * *', '5 fields'],
    ['0 * * *', '5 fields'],
    ['@every 5m', '5 fields'],
  ])('refuses %j, naming %s', (e, named) => {
    expect(CRON_REGEX.test(e)).toBe(false);
    expect(describeCronProblem(e)).toContain(named);
  });
});

describe('schedule request: cron and every', () => {
  const batch = {
    items: [{ primaryCharacter: 'Ann', secondaryCharacter: 'Ben' }],
    frameworks: ['langchain'],
  };
  it('names cron in the issue of an out-of-range expression', () => {
    const r = scheduleRequestSchema().safeParse({ cron: '61 25 * * *', batch });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({
        path: ['cron'],
        message: expect.stringContaining('cron minute "61"'),
      }),
    ]);
  });
  it.each([
    ['10s', true],
    ['9s', false],
    ['010s', false],
    ['1m', true],
    ['999999d', true],
    ['1000000d', false],
    [' 1h', false],
  ])('every %j: %s', (every, ok) => {
    expect(scheduleRequestSchema().safeParse({ every, batch }).success).toBe(ok);
  });
});

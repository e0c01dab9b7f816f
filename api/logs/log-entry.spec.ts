import { matchesFilter, normalizeLevel, parseLogLine } from './log-entry';

describe('normalizeLevel', () => {
  it.each([
    [30, 'info'],
    [40, 'warning'],
    [60, 'critical'],
    ['WARN', 'warning'],
    ['warning', 'warning'],
    ['Fatal', 'critical'],
    ['ERROR', 'error'],
    [undefined, 'unknown'],
    ['', 'unknown'],
  ])('%p → %s', (input, expected) => {
    expect(normalizeLevel(input)).toBe(expected);
  });
});

describe('parseLogLine', () => {
  it('reads a pino JSON line: timestamp, level, logger, event, the other fields, line number and raw line', () => {
    const raw =
      '{"level":"warn","time":"2026-01-02T03:04:05.000Z","pid":1,"name":"api","requestId":"r-1","msg":"slow call"}';
    expect(parseLogLine(raw, 7)).toEqual({
      timestamp: '2026-01-02T03:04:05.000Z',
      level: 'warning',
      logger: 'api',
      event: 'slow call',
      pid: 1,
      requestId: 'r-1',
      line_number: 7,
      raw_line: raw,
    });
  });

  it('reads numeric pino levels and epoch times', () => {
    const e = parseLogLine('{"level":50,"time":0,"msg":"x"}', 1);
    expect(e.level).toBe('error');
    expect(e.timestamp).toBe('1970-01-01T00:00:00.000Z');
  });

  it('does not let a field named like a fixed one override it', () => {
    const e = parseLogLine('{"level":"info","msg":"m","line_number":99,"raw_line":"fake"}', 3);
    expect(e.line_number).toBe(3);
    expect(e.raw_line).toContain('"fake"');
  });

  it('reads the original plain-text format with key=value pairs', () => {
    const raw =
      '[2025-07-25T10:00:00.123Z] [ERROR] [story_routes] Story failed | framework=langchain duration_ms=12';
    expect(parseLogLine(raw, 2)).toEqual({
      timestamp: '2025-07-25T10:00:00.123Z',
      level: 'error',
      logger: 'story_routes',
      event: 'Story failed',
      framework: 'langchain',
      duration_ms: '12',
      line_number: 2,
      raw_line: raw,
    });
  });

  it('keeps any other line as an event of unknown level', () => {
    expect(parseLogLine('    at Object.<anonymous> (x.js:1:1)\r', 9)).toEqual({
      timestamp: null,
      level: 'unknown',
      logger: null,
      event: '    at Object.<anonymous> (x.js:1:1)',
      line_number: 9,
      raw_line: '    at Object.<anonymous> (x.js:1:1)',
    });
    expect(parseLogLine('{not json', 1).event).toBe('{not json');
    expect(parseLogLine('[1,2]', 1).level).toBe('unknown');
  });
});

describe('matchesFilter', () => {
  const e = parseLogLine('{"level":"warn","msg":"Rate limit exceeded","path":"/API/x"}', 1);
  it('matches the normalized level exactly', () => {
    expect(matchesFilter(e, { level: 'warning' })).toBe(true);
    expect(matchesFilter(e, { level: 'error' })).toBe(false);
  });
  it('searches the line case-insensitively, including the normalized level', () => {
    expect(matchesFilter(e, { search: 'rate limit' })).toBe(true);
    expect(matchesFilter(e, { search: '/api/x' })).toBe(true);
    expect(matchesFilter(e, { search: 'warning' })).toBe(true);
    expect(matchesFilter(e, { search: 'nope' })).toBe(false);
  });
});

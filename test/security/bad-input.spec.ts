import * as fs from 'node:fs';
import * as nodeHttp from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { captureLogger } from '../support/api-only';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { allRoutes, fill, label, type RouteOp } from './routes';

/**
 * Issue 7, bad input: a generated corpus of malformed requests across every route of the
 * app's own OpenAPI document (plus the undocumented pages and /mcp) and every MCP tool.
 * Zero 5xx, no crash (/health answers after), every 4xx in the error envelope with a message
 * (JSON-RPC errors for /mcp), and every bad MCP call an isError result with a message.
 *
 * QF_BAD_INPUT_DUMP=/tmp/x.json writes every answer (route, family, status, time) and the
 * problems found there, for diagnosis.
 */

const ADMIN_KEY = 'bad-input-admin-key-0123456789';
const AUTH = { 'x-api-key': ADMIN_KEY };
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Raw HTTP: fetch normalises paths (../) and refuses some bodies; node:http sends them as given.

interface Sent {
  family: string;
  route: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface Answer {
  status: number;
  headers: nodeHttp.IncomingHttpHeaders;
  text: string;
}

function send(baseUrl: string, c: Sent): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = nodeHttp.request(
      {
        host: url.hostname,
        port: url.port,
        method: c.method,
        path: c.path,
        headers: {
          ...AUTH,
          ...(c.body !== undefined ? { 'content-length': String(Buffer.byteLength(c.body)) } : {}),
          ...c.headers,
        },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (c.body !== undefined) req.write(c.body);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------
// Values.

const UNICODE: Record<string, string> = {
  loneHighSurrogate: 'Al\uD800ice',
  loneLowSurrogate: '\uDC00Bob',
  rtlOverride: 'Alice\u202Eecila\u202C',
  zeroWidth: 'A\u200B\u200C\u200D\uFEFFB',
  nul: 'Al\u0000ice',
  combining: `A${'\u0301'.repeat(3000)}`,
  nfkcExpansion: '\uFDFA'.repeat(300),
  emoji: '👨‍👩‍👧‍👦'.repeat(40),
  onlyWhitespace: ' \t\u00A0\u3000 ',
  htmlScript: '<script>alert(1)</script>',
  sqlInjection: "Robert'); DROP TABLE stories;--",
  templateInjection: '{{7*7}} ${7*7} [context] %s %n',
};

/** JSON text for a value; RAW:… strings are spliced in unquoted (1e309, -0, …). */
const RAW = (t: string) => `__RAW__${t}__`;
function jsonText(v: unknown): string {
  return JSON.stringify(v).replace(/"__RAW__(.*?)__"/g, '$1');
}

const WRONG_VALUES: Record<string, unknown> = {
  null: null,
  zero: 0,
  negative: -1,
  huge: 1e12,
  overflow: RAW('1e309'),
  negOverflow: RAW('-1e309'),
  float: 1.5,
  bool: true,
  array: [],
  nestedArray: [[['x']]],
  object: {},
  emptyString: '',
  longString: 'x'.repeat(100_000),
  numericString: '12',
  ...UNICODE,
};

const BAD_IDS: Record<string, string> = {
  word: 'abc',
  negative: '-1',
  zero: '0',
  float: '1.5',
  exponent: '1e309',
  nan: 'NaN',
  hugeInt: '99999999999999999999999999',
  int32Overflow: '2147483648',
  unsafeInt: '9007199254740993',
  sqlQuote: encodeURIComponent("1' OR '1'='1"),
  sqlStacked: encodeURIComponent('1; DROP TABLE stories;--'),
  dotdot: '..',
  traversal: '../../etc/passwd',
  encodedTraversal: '..%2F..%2Fetc%2Fpasswd',
  doubleEncoded: '%252e%252e%252fetc',
  nulByte: 'abc%00def',
  badPercent: '%E0%A4%A',
  loneSurrogateBytes: '%ED%A0%80',
  rtl: encodeURIComponent('\u202Egnp.exe'),
  zeroWidth: encodeURIComponent('a\u200Bb'),
  long: 'a'.repeat(4000),
  backslash: '..%5C..%5Cwindows',
  jsonish: encodeURIComponent('{"$ne":null}'),
};

const BAD_QUERY_VALUES: Record<string, string> = {
  negative: '-1',
  huge: '1e12',
  nan: 'NaN',
  overflow: '1e309',
  infinity: 'Infinity',
  hex: '0x1F',
  empty: '',
  word: 'abc',
  sql: encodeURIComponent("1' OR '1'='1"),
  nul: '%00',
  badPercent: '%E0%A4%A',
  long: 'a'.repeat(6000),
  rtl: encodeURIComponent('\u202E'),
  isoGarbage: '2026-13-45T99:99:99Z',
};

/** Known query parameters per route (many are validated but not declared in the document). */
const QUERY_PARAMS: Record<string, string[]> = {
  '/api/stories': ['skip', 'limit'],
  '/api/stories/search/characters': ['character', 'skip', 'limit'],
  '/api/runs': [
    'type',
    'status',
    'framework',
    'model',
    'provider',
    'origin',
    'batchId',
    'correlationId',
    'from',
    'to',
    'pageSize',
    'nextPageToken',
  ],
  '/api/runs/{workflowId}/history': ['runId', 'verbose'],
  '/api/batches': ['skip', 'limit', 'status'],
  '/api/batches/{id}': ['skip', 'limit'],
  '/api/audit': [
    'workflowId',
    'runId',
    'batchId',
    'framework',
    'outcome',
    'errorType',
    'origin',
    'from',
    'to',
    'skip',
    'limit',
  ],
  '/api/chat/conversations': ['skip', 'limit'],
  '/api/context/files': ['skip', 'limit'],
  '/api/context/executions': ['skip', 'limit'],
  '/api/cost/usage': ['days'],
  '/api/cost/summary': ['days'],
  '/api/cost/transactions': ['days'],
  '/logs/entries/{path}': ['page', 'per_page', 'level', 'search'],
};

const LOG_PATHS = [
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e/%2e%2e/etc/passwd',
  '%252e%252e%252fetc%252fpasswd',
  '/etc/passwd',
  '%2Fetc%2Fpasswd',
  'app.log%00.txt',
  '....//....//etc/passwd',
  '..%5C..%5Cwindows%5Cwin.ini',
  'C:%5CWindows%5Cwin.ini',
  'app.log/../../../etc/passwd',
  'sub/../../secret.log',
  'a'.repeat(3000),
  encodeURIComponent('\u202Egol.exe'),
  '%ED%A0%80.log',
  'nonexistent.log',
  '.',
  '..',
];

// ---------------------------------------------------------------------------------------------
// Cases.

/**
 * Every other entry, starting at an offset derived from `salt`: each route gets half of a list
 * of bad values, and neighbouring routes the other half, so every value is still sent to
 * every kind of route while the corpus stays small enough to run in well under a minute.
 */
function half<T>(entries: [string, T][], salt: string): [string, T][] {
  let h = 0;
  for (const ch of salt) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return entries.filter((_, i) => (i + h) % 2 === 0);
}

function validBodies(fileId: string): Record<string, Record<string, unknown>> {
  const legacy = { primary_character: 'Alice', secondary_character: 'Bob' };
  const batch = {
    items: [{ primaryCharacter: 'Alice', secondaryCharacter: 'Bob' }],
    frameworks: ['langchain'],
    concurrency: 1,
  };
  return {
    'POST /api/stories': {
      primaryCharacter: 'Alice',
      secondaryCharacter: 'Bob',
      framework: 'langchain',
    },
    'POST /api/semantic-kernel': legacy,
    'POST /api/semantic_kernel': legacy,
    'POST /api/langchain': legacy,
    'POST /api/langgraph': legacy,
    'POST /api/runs/{workflowId}/terminate': { reason: 'bad input test' },
    'POST /api/batches': batch,
    'POST /api/batches/{id}/concurrency': { concurrency: 2 },
    'POST /api/schedules': { cron: '0 0 1 1 *', batch, paused: true },
    'POST /api/schedules/{id}/pause': { note: 'x' },
    'POST /api/schedules/{id}/unpause': { note: 'x' },
    'POST /api/chat/{framework}': { message: 'hello' },
    'POST /api/context/execute': {
      file_ids: [fileId],
      system_prompt: 'Use [context]',
      user_prompt: 'what?',
    },
  };
}

const RAW_BODIES: Record<string, string | Buffer> = {
  truncated: '{"a": 1,',
  unterminatedString: '{"a": "abc',
  trailingGarbage: '{"a":1}}',
  singleQuotes: "{'a': 1}",
  nanLiteral: '{"a": NaN}',
  comment: '{"a": 1 /* c */}',
  jsonNull: 'null',
  jsonArray: '[]',
  jsonString: '"just a string"',
  jsonNumber: '123',
  jsonTrue: 'true',
  empty: '',
  whitespace: '   \n\t ',
  bomPrefixed: '\uFEFF{"a":1}',
  deepNesting: `${'['.repeat(5000)}${']'.repeat(5000)}`,
  deepObject: `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  invalidUtf8: Buffer.concat([
    Buffer.from('{"message":"'),
    Buffer.from([0xc0, 0xaf, 0xff, 0xfe]),
    Buffer.from('"}'),
  ]),
  protoPollution: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  duplicateKeys: '{"a":1,"a":2,"a":3}',
  binary: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
};

const CONTENT_TYPES: Record<string, { type: string; body: string }> = {
  textPlain: { type: 'text/plain', body: '{"message":"hi"}' },
  xml: {
    type: 'application/xml',
    body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  },
  form: {
    type: 'application/x-www-form-urlencoded',
    body: 'message=hi&primaryCharacter[]=a&primaryCharacter[]=b',
  },
  formHuge: { type: 'application/x-www-form-urlencoded', body: `a=${'x'.repeat(2 * MB)}` },
  multipart: {
    type: 'multipart/form-data; boundary=xyz',
    body: '--xyz\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi\r\n--xyz--\r\n',
  },
  multipartNoBoundary: { type: 'multipart/form-data', body: 'garbage' },
  jsonUtf16: { type: 'application/json; charset=utf-16', body: '{"message":"hi"}' },
  jsonUnknownCharset: { type: 'application/json; charset=klingon', body: '{"message":"hi"}' },
  vendorJson: { type: 'application/vnd.api+json', body: '{"message":"hi"}' },
  octetStream: { type: 'application/octet-stream', body: '\u0000\u0001\u0002' },
  none: { type: '', body: '{"message":"hi"}' },
  garbageType: { type: '%%%/;;;', body: '{}' },
};

/** Routes that share another route's handler and schema: a sample of the field matrix is enough. */
const SAME_SCHEMA_AS: Record<string, string> = {
  'POST /api/semantic-kernel': 'POST /api/langchain',
  'POST /api/semantic_kernel': 'POST /api/langchain',
  'POST /api/langgraph': 'POST /api/langchain',
  'POST /api/schedules/{id}/unpause': 'POST /api/schedules/{id}/pause',
};
const SAMPLE_OF_WRONG_VALUES = [
  'null',
  'array',
  'object',
  'overflow',
  'loneHighSurrogate',
  'longString',
  'nul',
];
/** The first field of a body gets every wrong value; the others a sample (every kind of mistake, fewer repeats). */
const OTHER_FIELDS_WRONG_VALUES = [
  'null',
  'bool',
  'array',
  'object',
  'overflow',
  'negative',
  'emptyString',
  'longString',
  'loneHighSurrogate',
  'rtlOverride',
  'nul',
];
/** The first two query parameters of a route get every bad value; the others a sample. */
const OTHER_PARAMS_BAD_VALUES = ['negative', 'overflow', 'long', 'badPercent'];

function jsonCases(r: RouteOp, valid: Record<string, unknown> | undefined): Sent[] {
  const route = label(r);
  const p = fill(r.template);
  const json = (
    family: string,
    body: string | Buffer,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Sent => ({
    family,
    route,
    method: r.method,
    path: p,
    headers,
    body,
  });
  const out: Sent[] = [];
  for (const [k, b] of half(Object.entries(RAW_BODIES), route))
    out.push(json(`invalid-json:${k}`, b));
  for (const [k, c] of half(Object.entries(CONTENT_TYPES), route))
    out.push(json(`content-type:${k}`, c.body, c.type ? { 'content-type': c.type } : {}));
  out.push(
    json('encoding:gzip-lie', '{"a":1}', {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    }),
  );
  out.push(
    json('encoding:unknown', '{"a":1}', {
      'content-type': 'application/json',
      'content-encoding': 'klingon',
    }),
  );
  // Over MAX_REQUEST_SIZE (1 MB by default): 413.
  out.push(json('size:over-limit', jsonText({ ...(valid ?? {}), padding: 'x'.repeat(MB + 10) })));
  out.push(
    json(
      'size:1MB-string-field',
      jsonText({ ...(valid ?? {}), [Object.keys(valid ?? { message: 1 })[0]]: 'A'.repeat(MB) }),
    ),
  );
  if (!valid) {
    for (const [k, v] of Object.entries({ empty: {}, wrong: { x: 1 }, junk: { ...UNICODE } }))
      out.push(json(`body:${k}`, jsonText(v)));
    return out;
  }
  out.push(json('body:empty-object', '{}'));
  out.push(json('body:extra-fields', jsonText({ ...valid, unexpected: 'x', $where: '1==1' })));
  // A big array of the wrong things (a big array of valid pairs is a valid, big batch).
  out.push(
    json(
      'body:huge-array',
      jsonText({ ...valid, items: Array.from({ length: 50_000 }, (_, i) => i) }),
    ),
  );
  for (const [n, field] of Object.keys(valid).entries()) {
    const { [field]: _omitted, ...rest } = valid;
    out.push(json(`field:${field}:missing`, jsonText(rest)));
    const values =
      n === 0 && !SAME_SCHEMA_AS[route]
        ? half(Object.entries(WRONG_VALUES), `${route}${field}`)
        : Object.entries(WRONG_VALUES);
    for (const [k, v] of values) {
      if (SAME_SCHEMA_AS[route] && !SAMPLE_OF_WRONG_VALUES.includes(k)) continue;
      if (n > 0 && !OTHER_FIELDS_WRONG_VALUES.includes(k)) continue;
      out.push(json(`field:${field}:${k}`, jsonText({ ...valid, [field]: v })));
    }
  }
  return out;
}

function pathParamCases(r: RouteOp): Sent[] {
  const out: Sent[] = [];
  for (const param of r.pathParams) {
    for (const [k, v] of half(Object.entries(BAD_IDS), `${label(r)}${param}`)) {
      // Raw substitution: these must reach the server as written.
      const p = r.template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
        name === param ? v : fill(`{${name}}`),
      );
      out.push({
        family: `bad-id:${param}:${k}`,
        route: label(r),
        method: r.method,
        path: p,
        ...(r.body === 'json'
          ? { headers: { 'content-type': 'application/json' }, body: '{}' }
          : {}),
      });
    }
  }
  return out;
}

function queryCases(r: RouteOp): Sent[] {
  if (r.method !== 'GET') return [];
  const params = new Set([...(QUERY_PARAMS[r.template] ?? []), ...r.queryParams]);
  if (params.size === 0) params.add('skip');
  const base = fill(r.template);
  const out: Sent[] = [];
  for (const [n, q] of [...params].entries()) {
    const values =
      n > 1
        ? Object.entries(BAD_QUERY_VALUES).filter(([k]) => OTHER_PARAMS_BAD_VALUES.includes(k))
        : half(Object.entries(BAD_QUERY_VALUES), `${label(r)}${q}`);
    for (const [k, v] of values) {
      out.push({
        family: `query:${q}:${k}`,
        route: label(r),
        method: 'GET',
        path: `${base}?${q}=${v}`,
      });
    }
    out.push({
      family: `query:${q}:array`,
      route: label(r),
      method: 'GET',
      path: `${base}?${q}=1&${q}=2`,
    });
    if (n <= 1)
      out.push({
        family: `query:${q}:bracket`,
        route: label(r),
        method: 'GET',
        path: `${base}?${q}[a]=1&${q}[]=2`,
      });
  }
  out.push({
    family: 'query:unknown-param',
    route: label(r),
    method: 'GET',
    path: `${base}?__proto__[x]=1&constructor=1`,
  });
  return out;
}

function methodCases(r: RouteOp): Sent[] {
  const wrong = r.method === 'GET' ? ['PATCH'] : ['PUT'];
  return wrong.map((m) => ({
    family: `method:${m}`,
    route: label(r),
    method: m,
    path: fill(r.template),
    headers: { 'content-type': 'application/json' },
    body: '{}',
  }));
}

function headerCases(): Sent[] {
  const route = 'headers';
  const s = (
    family: string,
    method: string,
    p: string,
    headers: Record<string, string>,
    body?: string,
  ): Sent => ({ family, route, method, path: p, headers, body });
  const story = '{"primaryCharacter":"Alice","secondaryCharacter":"Bob","framework":"langchain"}';
  return [
    s('auth:huge-bearer', 'GET', '/api/stories', {
      'x-api-key': '',
      authorization: `Bearer ${'x'.repeat(8000)}`,
    }),
    s('auth:latin1-key', 'GET', '/api/stories', { 'x-api-key': 'k\u00ff\u00e9y' }),
    s('auth:empty-key', 'GET', '/api/stories', { 'x-api-key': '' }),
    s('auth:bearer-no-token', 'GET', '/api/stories', { 'x-api-key': '', authorization: 'Bearer' }),
    s('auth:basic', 'GET', '/api/stories', { 'x-api-key': '', authorization: 'Basic Og==' }),
    s('auth:sql', 'GET', '/api/stories', { 'x-api-key': "' OR '1'='1" }),
    s(
      'idempotency:huge',
      'POST',
      '/api/stories',
      { 'content-type': 'application/json', 'idempotency-key': 'k'.repeat(6000) },
      story,
    ),
    s(
      'idempotency:symbols',
      'POST',
      '/api/stories',
      { 'content-type': 'application/json', 'idempotency-key': '../../etc;DROP' },
      story,
    ),
    s(
      'idempotency:latin1',
      'POST',
      '/api/stories',
      { 'content-type': 'application/json', 'idempotency-key': '\u00e9\u00ff' },
      story,
    ),
    s('guid:garbage', 'GET', '/health', { 'x-transaction-guid': '<script>' }),
    s('guid:huge', 'GET', '/health', { 'x-transaction-guid': 'g'.repeat(6000) }),
    s('forwarded:garbage', 'GET', '/api/stories', {
      'x-forwarded-for': 'not-an-ip, ::::, 999.999.999.999',
    }),
    s('accept:weird', 'GET', '/api/stories', { accept: 'application/xml;q=1, */*;q=0' }),
    s('range:garbage', 'GET', '/ui/', { range: 'bytes=999999999-1' }),
    s('host:garbage', 'GET', '/api/stories', { host: 'evil.example:99999' }),
  ];
}

function uploadCases(): Sent[] {
  const route = 'POST /api/context/upload';
  const boundary = 'qfBadInputBoundary';
  const part = (
    filename: string | undefined,
    content: Buffer | string,
    opts: { field?: string; type?: string } = {},
  ) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"${filename !== undefined ? `; filename="${filename}"` : ''}\r\n` +
          `Content-Type: ${opts.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from('\r\n'),
    ]);
  const end = Buffer.from(`--${boundary}--\r\n`);
  const multipart = (family: string, ...parts: Buffer[]): Sent => ({
    family: `upload:${family}`,
    route,
    method: 'POST',
    path: '/api/context/upload',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat([...parts, end]),
  });
  const png = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
  ]);
  const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]);
  const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
  const out: Sent[] = [
    multipart('binary-as-txt', part('photo.txt', png)),
    multipart('elf-as-md', part('notes.md', elf)),
    multipart('exe', part('setup.exe', mz)),
    multipart('exe-double-ext', part('notes.txt.exe', 'hello')),
    multipart('rtl-name', part('evil\u202Etxt.exe', 'hello')),
    multipart('traversal-name', part('../../etc/passwd.txt', 'root:x:0:0')),
    multipart('win-traversal-name', part('..\\..\\windows\\win.ini.txt', 'x')),
    multipart('absolute-name', part('/etc/shadow.txt', 'x')),
    multipart('nul-name', part('a\u0000b.txt', 'x')),
    multipart('dots-name', part('..', 'x')),
    multipart('ext-only-name', part('.txt', 'x')),
    multipart('empty-name', part('', 'x')),
    multipart('long-name', part(`${'n'.repeat(5000)}.txt`, 'x')),
    multipart(
      'latin1-invalid-utf8-name',
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="`),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('.txt"\r\n\r\nhi\r\n'),
      ]),
    ),
    multipart('no-filename', part(undefined, 'hello')),
    multipart('wrong-field', part('notes.txt', 'hello', { field: 'document' })),
    multipart('two-files', part('a.txt', 'a'), part('b.txt', 'b')),
    multipart(
      'many-fields',
      ...Array.from({ length: 40 }, (_, i) => part(undefined, 'v', { field: `f${i}` })),
      part('a.txt', 'a'),
    ),
    multipart('mislabelled-type', part('notes.txt', 'hello', { type: 'image/png' })),
    multipart('fake-pdf', part('report.pdf', '%PDF-1.7\n%garbage garbage\n%%EOF')),
    multipart('truncated-pdf', part('report.pdf', '%PDF-1.')),
    multipart('json-deep', part('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)),
    multipart('json-invalid', part('bad.json', '{"a":')),
    multipart('csv-garbage', part('data.csv', '"unterminated,quote\n\u0000\u0001,,,,\n')),
    multipart('empty-file', part('empty.txt', '')),
    multipart('zip-as-csv', part('data.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))),
    multipart('utf16-text', part('u16.txt', Buffer.from('\uFEFFhello', 'utf16le'))),
    multipart('11MB', part('big.txt', Buffer.alloc(11 * MB, 0x61))),
    multipart(
      '11MB-pdf',
      part('big.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(11 * MB, 0x20)])),
    ),
    {
      family: 'upload:truncated-multipart',
      route,
      method: 'POST',
      path: '/api/context/upload',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhel`,
    },
    {
      family: 'upload:wrong-boundary',
      route,
      method: 'POST',
      path: '/api/context/upload',
      headers: { 'content-type': 'multipart/form-data; boundary=other' },
      body: Buffer.concat([part('a.txt', 'x'), end]),
    },
    {
      family: 'upload:json-body',
      route,
      method: 'POST',
      path: '/api/context/upload',
      headers: { 'content-type': 'application/json' },
      body: '{"file":"x"}',
    },
    {
      family: 'upload:text-body',
      route,
      method: 'POST',
      path: '/api/context/upload',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    },
    { family: 'upload:no-body', route, method: 'POST', path: '/api/context/upload' },
  ];
  return out;
}

function logPathCases(): Sent[] {
  return LOG_PATHS.map((p, i) => ({
    family: `log-path:${i}`,
    route: 'GET /logs/entries/{path}',
    method: 'GET',
    path: `/logs/entries/${p}`,
  }));
}

// ---------------------------------------------------------------------------------------------
// Checks.

function problemOf(c: Sent, a: Answer): string | undefined {
  if (a.status >= 500) return `status ${a.status}: ${a.text.slice(0, 300)}`;
  if (a.status < 400) return undefined;
  let body: { error?: { message?: unknown; type?: unknown }; detail?: unknown; jsonrpc?: unknown };
  try {
    body = JSON.parse(a.text) as typeof body;
  } catch {
    return `4xx without a JSON body: ${a.status} ${JSON.stringify(a.text.slice(0, 200))}`;
  }
  const isMcp = /^\/mcp(\?|$)/i.test(c.path);
  if (
    isMcp &&
    body.jsonrpc === '2.0' &&
    typeof body.error?.message === 'string' &&
    body.error.message.length > 0
  )
    return undefined;
  if (typeof body.error?.message !== 'string' || body.error.message.trim() === '')
    return `4xx without error.message: ${a.text.slice(0, 200)}`;
  if (typeof body.error.type !== 'string' || typeof body.detail !== 'string')
    return `4xx not in the envelope: ${a.text.slice(0, 200)}`;
  return undefined;
}

async function pool<T, R>(
  items: readonly T[],
  width: number,
  f: (t: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('bad input corpus (every HTTP route, every MCP tool)', () => {
  const capture = captureLogger('warn');
  let p: TestPlatform;
  let logDir: string;
  const figures = {
    tried: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    crashes: 0,
    mcpCalls: 0,
    mcpIsError: 0,
  };
  const problems: string[] = [];

  beforeAll(async () => {
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qf-bad-input-logs-'));
    fs.writeFileSync(
      path.join(logDir, 'app.log'),
      `${JSON.stringify({ level: 'info', time: new Date().toISOString(), msg: 'hello' })}\n`,
    );
    fs.writeFileSync(path.join(os.tmpdir(), 'qf-bad-input-secret.log'), 'outside the log dir\n');
    p = await startTestPlatform(
      {
        ADMIN_API_KEYS: ADMIN_KEY,
        LOG_FILE_PATH: path.join(logDir, 'app.log'),
        SIMULATOR_LATENCY_MS: '0',
        MCP_MAX_WAIT_SECONDS: '20',
      },
      { logger: capture.logger },
    );
  });

  afterAll(async () => {
    if (p) {
      // Leave nothing running on the shared Temporal server: schedules and runs the corpus started.
      const schedules = (await (
        await fetch(`${p.baseUrl}/api/schedules`, { headers: AUTH })
      ).json()) as { schedules?: { scheduleId: string }[] } | { scheduleId: string }[];
      const list = Array.isArray(schedules) ? schedules : (schedules.schedules ?? []);
      for (const s of list)
        await fetch(`${p.baseUrl}/api/schedules/${encodeURIComponent(s.scheduleId)}`, {
          method: 'DELETE',
          headers: AUTH,
        });
      const q = `TaskQueue = '${p.config.env.TEMPORAL_TASK_QUEUE}' AND ExecutionStatus = 'Running'`;
      for await (const wf of p.temporal.client.workflow.list({ query: q })) {
        await p.temporal.client.workflow
          .getHandle(wf.workflowId)
          .terminate('bad-input corpus finished')
          .catch(() => undefined);
      }
      await p.close();
    }
    fs.rmSync(logDir, { recursive: true, force: true });
    fs.rmSync(path.join(os.tmpdir(), 'qf-bad-input-secret.log'), { force: true });
  });

  // Which kinds of odd input the API accepted (2xx), so the log shows it is by design.
  const accepted = new Map<string, number>();
  const record = (c: Sent, a: Answer | undefined, err?: unknown) => {
    figures.tried++;
    if (!a) {
      figures.crashes++;
      problems.push(
        `${c.route} [${c.family}] ${c.method} ${c.path.slice(0, 120)}: no answer (${err instanceof Error ? err.message : String(err)})`,
      );
      return;
    }
    if (a.status >= 500) figures.status5xx++;
    else if (a.status >= 400) figures.status4xx++;
    else if (a.status >= 300) figures.status3xx++;
    else {
      figures.status2xx++;
      const kind = c.family.split(':')[0];
      accepted.set(kind, (accepted.get(kind) ?? 0) + 1);
      if (process.env.QF_BAD_INPUT_DUMP)
        fs.appendFileSync(
          `${process.env.QF_BAD_INPUT_DUMP}.accepted`,
          `${c.family} ${c.method} ${c.path.slice(0, 100)}\n`,
        );
    }
    const problem = problemOf(c, a);
    if (problem)
      problems.push(`${c.route} [${c.family}] ${c.method} ${c.path.slice(0, 120)}: ${problem}`);
  };

  it('HTTP: malformed requests to every route get 4xx in the envelope, never 5xx', async () => {
    const routes = await allRoutes(p.baseUrl);
    expect(routes.filter((r) => r.inDocument).length).toBeGreaterThanOrEqual(50);

    const form = new FormData();
    form.append('file', new Blob(['The launch is on Friday.']), 'ok.txt');
    const up = (await (
      await fetch(`${p.baseUrl}/api/context/upload`, { method: 'POST', body: form, headers: AUTH })
    ).json()) as { file_id: string };
    const valid = validBodies(up.file_id);

    const cases: Sent[] = [];
    for (const r of routes) {
      if (r.template === '/mcp' && r.method === 'POST') continue; // JSON-RPC: below
      if (r.body === 'json') cases.push(...jsonCases(r, valid[label(r)]));
      else if (r.method === 'POST')
        cases.push(
          ...jsonCases(r, undefined).filter(
            (c) => c.family.startsWith('invalid-json') || c.family.startsWith('size:'),
          ),
        );
      cases.push(...pathParamCases(r), ...queryCases(r), ...methodCases(r));
    }
    cases.push(...uploadCases(), ...logPathCases(), ...headerCases());
    // Stories started by bodies that turn out valid must not wait for generation.
    for (const c of cases) if (c.path === '/api/stories') c.path = '/api/stories?wait=false';
    for (const c of cases)
      if (c.path === '/api/context/execute') c.path = '/api/context/execute?wait=false';

    // Client, API and worker share one event loop: a little concurrency, not more.
    const answers = await pool(cases, Number(process.env.QF_BAD_INPUT_WIDTH ?? 4), async (c) => {
      const t0 = Date.now();
      try {
        return { c, a: await send(p.baseUrl, c), ms: Date.now() - t0 };
      } catch (err) {
        return { c, a: undefined, err, ms: Date.now() - t0 };
      }
    });
    for (const { c, a, err } of answers as { c: Sent; a?: Answer; err?: unknown }[])
      record(c, a, err);
    if (process.env.QF_BAD_INPUT_DUMP) {
      const order = answers.map(({ c, ms }, i) => `${i} ${ms} ${c.route} ${c.family}`);
      fs.writeFileSync(`${process.env.QF_BAD_INPUT_DUMP}.order`, order.join('\n'));
      const rows = answers.map(({ c, a, ms }) => ({
        route: c.route,
        family: c.family,
        status: a?.status,
        ms,
        text: a && a.status >= 500 ? a.text.slice(0, 300) : undefined,
      }));
      fs.writeFileSync(process.env.QF_BAD_INPUT_DUMP, JSON.stringify({ problems, rows }, null, 1));
    }

    // The log viewer never read outside its directory.
    const traversal = answers.filter(
      ({ c, a }) => c.family.startsWith('log-path') && a && a.status === 200,
    );
    expect(traversal.map(({ c }) => c.path)).toEqual([]);

    const health = await fetch(`${p.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(problems).toEqual([]);
    expect(figures.status5xx).toBe(0);
    expect(figures.tried).toBeGreaterThanOrEqual(500);
  });

  it('MCP: raw JSON-RPC garbage is refused cleanly', async () => {
    const mcp = (
      family: string,
      body: string | Buffer,
      headers: Record<string, string> = {},
    ): Sent => ({
      family: `mcp-raw:${family}`,
      route: 'POST /mcp',
      method: 'POST',
      path: '/mcp',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body,
    });
    const rpc = (v: unknown) => jsonText(v);
    const cases: Sent[] = [
      ...Object.entries(RAW_BODIES).map(([k, b]) => mcp(k, b)),
      mcp('wrong-version', rpc({ jsonrpc: '1.0', id: 1, method: 'tools/list' })),
      mcp('no-method', rpc({ jsonrpc: '2.0', id: 1 })),
      mcp('unknown-method', rpc({ jsonrpc: '2.0', id: 1, method: 'no/such/method' })),
      mcp('params-string', rpc({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: 'x' })),
      mcp('params-array', rpc({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: [1, 2] })),
      mcp('huge-id', rpc({ jsonrpc: '2.0', id: RAW('1e309'), method: 'tools/list' })),
      mcp('object-id', rpc({ jsonrpc: '2.0', id: { a: 1 }, method: 'tools/list' })),
      mcp('empty-batch', '[]'),
      mcp('batch-of-garbage', rpc([1, 'x', null, { jsonrpc: '2.0' }])),
      mcp(
        'call-without-init',
        rpc({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'list_frameworks', arguments: {} },
        }),
      ),
      mcp(
        'over-limit',
        rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(MB + 10) } }),
      ),
      mcp('no-accept', rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), {
        accept: 'text/html',
      }),
      mcp('text-plain', rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), {
        'content-type': 'text/plain',
      }),
      mcp('bad-session', rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), {
        'mcp-session-id': '../../x',
      }),
      mcp('bad-protocol-version', rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), {
        'mcp-protocol-version': '1999-01-01',
      }),
    ];
    for (const c of cases) {
      try {
        record(c, await send(p.baseUrl, c));
      } catch (err) {
        record(c, undefined, err);
      }
    }
    if (process.env.QF_BAD_INPUT_DUMP)
      fs.writeFileSync(
        `${process.env.QF_BAD_INPUT_DUMP}.mcp-raw`,
        JSON.stringify(problems, null, 1),
      );
    expect(problems).toEqual([]);
  });

  it('MCP: every tool, called with malformed arguments, answers isError with a message', async () => {
    const connect = async () => {
      const client = new McpClient({ name: 'bad-input', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${p.baseUrl}/mcp`), {
          requestInit: { headers: AUTH },
        }),
      );
      return client;
    };
    const clients = await Promise.all(Array.from({ length: 4 }, connect));
    try {
      const { tools } = await clients[0].listTools();
      expect(tools.length).toBeGreaterThanOrEqual(10);
      const values: Record<string, unknown> = {
        null: null,
        number: 12345,
        negative: -1,
        bool: true,
        array: [1],
        object: { a: 1 },
        emptyString: '',
        bigString: 'x'.repeat(900_000), // the body limit is 1 MB: just under it
        loneHighSurrogate: UNICODE.loneHighSurrogate,
        rtlOverride: UNICODE.rtlOverride,
        nul: UNICODE.nul,
        sqlInjection: UNICODE.sqlInjection,
      };
      const calls: { tool: string; family: string; args: Record<string, unknown> }[] = [];
      for (const tool of tools) {
        const schema = tool.inputSchema as {
          properties?: Record<string, unknown>;
          required?: string[];
        };
        calls.push({ tool: tool.name, family: 'unknown-only', args: { no_such_argument: 'x' } });
        calls.push({
          tool: tool.name,
          family: 'garbage-keys',
          args: JSON.parse('{"__proto__":{"polluted":true},"constructor":1,"":""}') as Record<
            string,
            unknown
          >,
        });
        if ((schema.required ?? []).length > 0)
          calls.push({ tool: tool.name, family: 'empty', args: {} });
        for (const [n, prop] of Object.keys(schema.properties ?? {}).entries()) {
          // The big string (heavy to send and parse) goes to one argument per tool.
          const propValues = Object.entries(values).filter(([k]) => n === 0 || k !== 'bigString');
          for (const [k, v] of half(propValues, `${tool.name}${prop}`))
            calls.push({ tool: tool.name, family: `${prop}:${k}`, args: { [prop]: v } });
          if (
            n === 0 &&
            !calls.some((c) => c.tool === tool.name && c.family === `${prop}:bigString`)
          ) {
            calls.push({
              tool: tool.name,
              family: `${prop}:bigString`,
              args: { [prop]: values.bigString },
            });
          }
        }
      }
      calls.push({ tool: 'no_such_tool', family: 'unknown-tool', args: {} });
      const mcpProblems: string[] = [];
      let nextClient = 0;
      await pool(calls, clients.length, async ({ tool, family, args }) => {
        const client = clients[nextClient++ % clients.length];
        figures.tried++;
        figures.mcpCalls++;
        try {
          const r = (await client.callTool({ name: tool, arguments: args }, undefined, {
            timeout: 60_000,
          })) as {
            isError?: boolean;
            content?: { type: string; text?: string }[];
          };
          if (!r.isError) return; // a malformed call the schema still accepts (e.g. a unicode chat message) is fine
          figures.mcpIsError++;
          const msg = r.content?.find((c) => c.type === 'text')?.text ?? '';
          if (!msg.trim()) mcpProblems.push(`${tool} [${family}]: isError without a message`);
          if (/unexpected error occurred/i.test(msg))
            mcpProblems.push(`${tool} [${family}]: internal error: ${msg}`);
          if (tool === 'no_such_tool' && !/not found/.test(msg))
            mcpProblems.push(`${tool}: ${msg}`);
        } catch (err) {
          figures.crashes++;
          mcpProblems.push(
            `${tool} [${family}]: protocol error ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`,
          );
        }
      });
      expect(mcpProblems).toEqual([]);
      expect(figures.mcpIsError).toBeGreaterThan(calls.length / 2);
      // The server still answers.
      expect(
        (await clients[0].callTool({ name: 'list_frameworks', arguments: {} })).isError,
      ).toBeFalsy();
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('the platform is still up, logged no server error, and prints its figures', async () => {
    expect((await fetch(`${p.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${p.baseUrl}/health/ready`)).status).toBe(200);
    const serverErrors = capture.lines().filter((l) => l.level === 'error' || l.level === 'fatal');
    if (process.env.QF_BAD_INPUT_DUMP)
      fs.writeFileSync(
        `${process.env.QF_BAD_INPUT_DUMP}.errors`,
        JSON.stringify(serverErrors, null, 1),
      );
    expect(
      serverErrors.map((l) => `${String(l.msg)} ${JSON.stringify(l.err ?? '').slice(0, 300)}`),
    ).toEqual([]);
    process.stdout.write(
      `bad-input: tried=${figures.tried}, 4xx=${figures.status4xx}, 5xx=${figures.status5xx}, crashes=${figures.crashes} ` +
        `(2xx=${figures.status2xx}, 3xx=${figures.status3xx}; mcp calls=${figures.mcpCalls}, isError=${figures.mcpIsError})\n` +
        `bad-input: accepted by design (2xx by kind): ${[...accepted].map(([k, n]) => `${k}=${n}`).join(' ')}\n`,
    );
    expect(figures.status5xx).toBe(0);
    expect(figures.crashes).toBe(0);
  });
});

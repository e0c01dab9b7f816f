import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { startApiOnly, type ApiOnly } from './support/api-only';

/**
 * Issue 19, strict JSON-RPC on MCP: malformed JSON, messages that are no request, bad params,
 * bad arguments and NUL characters, sent as raw JSON-RPC through both transports (Streamable
 * HTTP at /mcp and the real stdio entry in a child process). Each gets the JSON-RPC error code
 * the spec gives it, or, for a tool argument of the wrong type, an isError result naming the
 * field, with the same text on both transports.
 */

jest.setTimeout(120_000);
const ROOT = path.resolve(__dirname, '..');

interface RpcAnswer {
  id: number | string | null;
  error?: { code: number; message: string };
  result?: { isError?: boolean; content?: { text?: string }[]; messages?: unknown[] };
}

/** One raw line (or body) in, one JSON-RPC answer out. */
type Send = (raw: string) => Promise<RpcAnswer>;

const call = (id: number, method: string, params?: unknown) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, ...(params !== undefined ? { params } : {}) });
const tool = (id: number, name: string, args: unknown) =>
  call(id, 'tools/call', { name, arguments: args });
const prompt = (id: number, name: string, args: unknown) =>
  call(id, 'prompts/get', { name, arguments: args });

/** Every case, with what both transports must answer. */
const CASES: { name: string; raw: string; code?: number; message: RegExp; isError?: boolean }[] = [
  {
    name: 'malformed JSON',
    raw: '{"jsonrpc":"2.0","id":1,',
    code: -32700,
    message: /^Parse error/,
  },
  {
    name: 'JSON that is no JSON-RPC message',
    raw: '{"hello":"world"}',
    code: -32600,
    message: /^Invalid Request/,
  },
  // MCP's request objects carry params as an object: anything else makes no MCP request at all.
  {
    name: 'params that are a string',
    raw: call(2, 'tools/call', 'x'),
    code: -32600,
    message: /^Invalid Request/,
  },
  {
    name: 'params that are an array',
    raw: call(12, 'tools/call', [1, 2]),
    code: -32600,
    message: /^Invalid Request/,
  },
  {
    name: '"arguments": null',
    raw: tool(3, 'cancel_run', null),
    code: -32602,
    message: /^arguments must be an object of argument names to values \(got null\)$/,
  },
  {
    name: '"arguments": [1,2]',
    raw: tool(4, 'cancel_run', [1, 2]),
    code: -32602,
    message: /\(got an array\)$/,
  },
  // A tool's bad argument is an isError result the model can read, NUL included (HTTP: 400).
  {
    name: 'a NUL in a tool argument',
    raw: tool(5, 'generate_story_langchain', {
      primary_character: 'Zyxq\u0000A',
      secondary_character: 'Bob',
    }),
    isError: true,
    message: /^InvalidCharacters: NUL characters/,
  },
  {
    name: 'a NUL in a tool name',
    raw: tool(13, 'cancel_run\u0000', {}),
    code: -32602,
    message: /NUL characters/,
  },
  {
    name: 'a NUL in a prompt argument',
    raw: prompt(6, 'classic_adventure_story', {
      primary_character: 'A\u0000',
      secondary_character: 'B',
    }),
    code: -32602,
    message: /NUL characters/,
  },
  {
    name: 'a prompt with the same two characters',
    raw: prompt(7, 'classic_adventure_story', {
      primary_character: 'Ann',
      secondary_character: 'ann',
    }),
    code: -32602,
    message: /secondary_character must differ from primary_character/,
  },
  {
    name: 'a prompt character with an emoji',
    raw: prompt(8, 'mystery_story', { detective: 'Holmes 🕵', suspect: 'Moriarty' }),
    code: -32602,
    message: /detective contains characters that are not allowed/,
  },
  {
    name: 'a prompt character of 5,000 characters',
    raw: prompt(9, 'sci_fi_story', { protagonist: 'x'.repeat(5000), companion: 'Robot' }),
    code: -32602,
    message: /protagonist must be at most 100 characters long/,
  },
  {
    name: 'cancel_run {workflow_id: 42}',
    raw: tool(10, 'cancel_run', { workflow_id: 42 }),
    isError: true,
    message: /workflow_id must be a string/,
  },
  {
    name: 'list_runs {pageSize: "abc"}',
    raw: tool(11, 'list_runs', { pageSize: 'abc' }),
    isError: true,
    message: /pageSize must be an integer/,
  },
];

function expectAnswer(c: (typeof CASES)[number], a: RpcAnswer): void {
  if (c.code !== undefined) {
    expect([c.name, a.error?.code]).toEqual([c.name, c.code]);
    expect(a.error?.message).toMatch(c.message);
    // A clean message, not a validation dump.
    expect(a.error?.message).not.toMatch(/"code":|"path":|invalid_type/);
  } else {
    expect([c.name, a.result?.isError]).toEqual([c.name, true]);
    expect(a.result?.content?.[0]?.text).toMatch(c.message);
  }
}

/** The same cases, then a good request, through one transport. */
function itAnswersEveryCase(send: Send): void {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    expectAnswer(c, await send(c.raw));
  });
  it('still answers a good request', async () => {
    const a = await send(
      prompt(99, 'classic_adventure_story', {
        primary_character: 'Ann',
        secondary_character: 'Ben',
      }),
    );
    expect(a.error).toBeUndefined();
    expect(a.result?.messages).toHaveLength(1);
  });
}

describe('MCP: strict JSON-RPC on both transports', () => {
  let api: ApiOnly;
  beforeAll(async () => {
    api = await startApiOnly();
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('Streamable HTTP (/mcp)', () => {
    const send: Send = async (raw) => {
      const res = await fetch(`${api.baseUrl}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: raw,
      });
      const text = await res.text();
      // The transport answers requests as a one-event stream; errors before it as plain JSON.
      const data = text.startsWith('{')
        ? text
        : (text.split('\n').find((l) => l.startsWith('data: ')) ?? '').slice(6);
      return JSON.parse(data) as RpcAnswer;
    };
    itAnswersEveryCase(send);
  });

  describe('stdio (the real entry in a child process)', () => {
    let child: ChildProcessWithoutNullStreams;
    let stderr = '';
    const waiting: ((a: RpcAnswer) => void)[] = [];
    beforeAll(async () => {
      const env = api.config.env;
      child = spawn(
        process.execPath,
        ['-r', path.join(ROOT, 'test/support/ts-register.js'), path.join(ROOT, 'mcp/stdio.ts')],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            QUILLFLOW_HOME: ROOT,
            DATABASE_URL: env.DATABASE_URL,
            TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
            TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE,
            PROVIDER_NAME: api.config.provider.name,
            PROVIDER_API_BASE_URL: api.config.provider.baseUrl,
            PROVIDER_API_KEY: api.config.provider.apiKey,
            PROVIDER_MODEL: api.config.provider.model,
            LOG_FILE_PATH: '',
            LOG_LEVEL: 'info',
          },
        },
      );
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Answers arrive in order: the server handles one line at a time and each case waits for its answer.
      createInterface({ input: child.stdout }).on('line', (line) =>
        waiting.shift()?.(JSON.parse(line) as RpcAnswer),
      );
      const deadline = Date.now() + 90_000;
      while (!/MCP stdio server ready/.test(stderr)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`stdio server did not start:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    afterAll(async () => {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await exited;
    });
    const send: Send = (raw) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${raw}\n`);
      });
    itAnswersEveryCase(send);
    it('stayed up', () => expect(child.exitCode).toBeNull());
  });
});

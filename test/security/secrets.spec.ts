// First: the Temporal SDK's log must go to memory before anything installs the Runtime.
import { sdkLogCaptured, sdkLogEntries } from './sdk-log-capture';
import { randomUUID } from 'node:crypto';
import * as nodeHttp from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { captureLogger } from '../support/api-only';
import { http, startTestPlatform, type TestPlatform } from '../support/platform';
import { waitFor } from '../support/wait';

/**
 * Issue 7, "no secret leaks": a platform with a planted provider key and planted API keys runs
 * stories (one per framework), retried and failing ones (simulator 500/429/400/401, and a
 * provider that echoes the key it was sent), chat, context files and prompts, a batch and an
 * MCP tool call, with request-body markers in character names, chat text, prompts and files.
 * Then it greps: every log line (API and worker logger, the Temporal SDK's own log, console);
 * every workflow's history, memo and search attributes on the task queue; and every API answer
 * (errors included) and diagnostic route. Secrets must appear nowhere; body markers must not
 * appear in logs (they legitimately are in workflow inputs and in stories).
 */

const rnd = randomUUID().replace(/-/g, '').slice(0, 20);
const PROVIDER_KEY = `sk-planted-${rnd}`;
const USER_KEY = `qf-user-planted-${rnd}`;
const ADMIN_KEY = `qf-admin-planted-${rnd}`;
const GUESSED_KEY = `qf-guess-planted-${rnd}`;
const SECRETS = { PROVIDER_KEY, USER_KEY, ADMIN_KEY, GUESSED_KEY };

// Body markers: valid character names (letters and digits) and free text.
const M = `Qz${rnd.slice(0, 10)}`;
const MARKERS = {
  story: `${M}story`,
  retried500: `${M}fivehundred`,
  retried429: `${M}toomany`,
  failed400: `${M}badrequest`,
  failed401: `${M}unauthorised`,
  echoKey: `${M}echokey`,
  batch: `${M}batch`,
  mcp: `${M}mcp`,
  chat: `${M}chattext`,
  contextSystem: `${M}systemprompt`,
  contextUser: `${M}userprompt`,
  contextFile: `${M}filecontent`,
};

const asUser = { 'x-api-key': USER_KEY };
const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

/** Uint8Array payloads as text, so a grep sees what Temporal stores. */
function decodeDeep(v: unknown, seen = new WeakSet<object>()): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? v.toString() : v;
  if (seen.has(v)) return '[cycle]';
  seen.add(v);
  if (Array.isArray(v)) return v.map((x) => decodeDeep(x, seen));
  if (v instanceof Error)
    return { name: v.name, message: v.message, stack: v.stack, cause: decodeDeep(v.cause, seen) };
  if (v instanceof Map)
    return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), decodeDeep(x, seen)]));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeDeep(x, seen)]));
}
const text = (v: unknown) => JSON.stringify(decodeDeep(v));

function leaks(haystack: string, needles: Record<string, string>): string[] {
  return Object.entries(needles)
    .filter(([, n]) => haystack.includes(n))
    .map(([k]) => k);
}

/**
 * A provider in front of the simulator that, for one marker, answers 401 echoing the full key
 * it was sent (as some real providers echo part of it): the key must still not spread.
 */
async function startEchoingProvider(
  target: () => URL,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = nodeHttp.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.includes(MARKERS.echoKey)) {
        const key = String(req.headers.authorization ?? '').replace(/^Bearer /i, '');
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: `Incorrect API key provided: ${key}`,
              type: 'invalid_request_error',
              code: 'invalid_api_key',
              param: null,
            },
          }),
        );
        return;
      }
      const t = target();
      const up = nodeHttp.request(
        { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('secrets never leak (logs, Temporal histories, API answers)', () => {
  const capture = captureLogger('debug');
  const consoleOut: string[] = [];
  const answers: { what: string; status: number; body: unknown }[] = [];
  let p: TestPlatform;
  let provider: Awaited<ReturnType<typeof startEchoingProvider>>;

  const api = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = asUser,
  ) => {
    const res = await http(p.baseUrl, method, path, body, headers);
    answers.push({ what: `${method} ${path}`, status: res.status, body: res.body });
    return res;
  };

  /** Every workflow this platform ran (its own task queue on the shared server), children included. */
  const workflowIds = async () => {
    const ids: string[] = [];
    for await (const wf of p.temporal.client.workflow.list({
      query: `TaskQueue = '${p.config.env.TEMPORAL_TASK_QUEUE}'`,
    }))
      ids.push(wf.workflowId);
    return ids;
  };

  beforeAll(async () => {
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void consoleOut.push(text(args)));
    }
    provider = await startEchoingProvider(() => new URL(p.sim.url));
    p = await startTestPlatform(
      {
        PROVIDER_API_KEY: PROVIDER_KEY,
        PROVIDER_API_BASE_URL: provider.url,
        API_KEYS: USER_KEY,
        ADMIN_API_KEYS: ADMIN_KEY,
        LOG_LEVEL: 'debug',
        MCP_MAX_WAIT_SECONDS: '30',
      },
      { logger: capture.logger },
    );
    p.sim.setFaults({
      rules: [
        { fault: '500', times: 2, match: MARKERS.retried500 },
        { fault: '429', times: 1, match: MARKERS.retried429, retryAfterSeconds: 1 },
        { fault: '400', match: MARKERS.failed400 },
        { fault: '401', match: MARKERS.failed401 },
      ],
    });
  });
  afterAll(async () => {
    await p?.close();
    await provider?.close();
    jest.restoreAllMocks();
  });

  it('runs stories, failures, chat, context, a batch and MCP with planted secrets and markers', async () => {
    const story = (framework: string, name: string) =>
      api('POST', '/api/stories?wait=true', {
        primaryCharacter: name,
        secondaryCharacter: 'Bob',
        framework,
      });
    const stories = await Promise.all([
      story('langchain', MARKERS.story),
      story('semantic-kernel', MARKERS.story),
      story('langgraph', MARKERS.story),
      story('semantic-kernel', MARKERS.retried500),
      story('langgraph', MARKERS.retried429),
      story('langchain', MARKERS.failed400),
      story('langchain', MARKERS.failed401),
      story('langchain', MARKERS.echoKey),
    ]);
    expect(stories.map((s) => s.status)).toEqual([201, 201, 201, 201, 201, 502, 502, 502]);
    // The failures say what happened, in the envelope.
    for (const failed of stories.slice(5))
      expect(failed.body.error.message).toEqual(expect.any(String));

    // Chat: a new conversation and a follow-up.
    const first = await api('POST', '/api/chat/langchain', {
      message: `Hello, ${MARKERS.chat} here. Tell me a story.`,
    });
    expect(first.status).toBe(200);
    const conversationId = first.body.conversation.id as number;
    const second = await api('POST', '/api/chat/semantic-kernel', {
      message: `And again, ${MARKERS.chat}.`,
      conversation_id: conversationId,
    });
    expect(second.status).toBe(200);

    // Context: a file with a marker, a prompt with markers.
    const form = new FormData();
    form.append(
      'file',
      new Blob([`Launch notes. ${MARKERS.contextFile}. The launch is on Friday.`]),
      'notes.txt',
    );
    const up = await fetch(`${p.baseUrl}/api/context/upload`, {
      method: 'POST',
      body: form,
      headers: asUser,
    });
    const upBody = (await up.json()) as { file_id: string };
    answers.push({ what: 'POST /api/context/upload', status: up.status, body: upBody });
    expect(up.status).toBe(200);
    const exec = await api('POST', '/api/context/execute', {
      file_ids: [upBody.file_id],
      system_prompt: `You are ${MARKERS.contextSystem}. Answer from: [context]`,
      user_prompt: `${MARKERS.contextUser}: when is the launch?`,
    });
    expect(exec.status).toBe(200);

    // A small batch.
    const batch = await api('POST', '/api/batches', {
      items: [
        { primaryCharacter: `${MARKERS.batch}one`, secondaryCharacter: 'Carol' },
        { primaryCharacter: `${MARKERS.batch}two`, secondaryCharacter: 'Dave' },
      ],
      frameworks: ['langchain'],
      concurrency: 2,
      // Child runs: their histories (story inputs, results) are searched for secrets too.
      itemMode: 'workflow',
    });
    expect(batch.status).toBe(202);
    const batchId = batch.body.batchId as string;
    const done = await waitFor(
      'the batch to close',
      async () => (await api('GET', `/api/batches/${batchId}`)).body,
      (b) => b.status !== 'RUNNING',
      {
        timeoutMs: 45_000,
        everyMs: 250,
      },
    );
    expect(done.status).toBe('COMPLETED');

    // MCP over HTTP with the user key.
    const mcp = new McpClient({ name: 'secrets-test', version: '1' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${p.baseUrl}/mcp`), {
        requestInit: { headers: asUser },
      }),
    );
    try {
      const r = await mcp.callTool({
        name: 'generate_story_langchain',
        arguments: { primary_character: MARKERS.mcp, secondary_character: 'Erin' },
      });
      answers.push({
        what: 'mcp generate_story_langchain',
        status: r.isError ? 400 : 200,
        body: r,
      });
      expect(r.isError).toBeFalsy();
      const denied = await mcp.callTool({
        name: 'cancel_run',
        arguments: { workflow_id: 'story-unknown' },
      });
      answers.push({ what: 'mcp cancel_run (user)', status: 403, body: denied });
      expect(denied.isError).toBe(true);
    } finally {
      await mcp.close();
    }

    // Refusals: a guessed key, a user key on an admin route; then the admin does it.
    expect((await api('GET', '/api/stories', undefined, { 'x-api-key': GUESSED_KEY })).status).toBe(
      401,
    );
    expect(
      (await api('GET', '/api/stories', undefined, { authorization: `Bearer ${GUESSED_KEY}` }))
        .status,
    ).toBe(401);
    expect((await api('DELETE', `/api/chat/conversations/${conversationId}`)).status).toBe(403);
    expect(
      (await api('DELETE', `/api/chat/conversations/${conversationId}`, undefined, asAdmin)).status,
    ).toBe(200);
  });

  it('no secret in any API answer: errors, run details, histories, audit, provider, metrics', async () => {
    expect((await api('GET', '/api/runs?pageSize=20')).status).toBe(200);
    for (const id of await workflowIds()) {
      await api('GET', `/api/runs/${encodeURIComponent(id)}`);
      await api('GET', `/api/runs/${encodeURIComponent(id)}/history?verbose=true`);
    }
    for (const path of [
      '/api/audit?limit=500',
      '/api/provider',
      '/api/ui-config',
      '/api/mcp-status',
      '/metrics',
      '/api/cost/transactions',
      '/api/stories?limit=100',
      '/api/chat/conversations',
      '/api/context/executions',
      '/logs/files',
      '/health/ready',
    ]) {
      await api('GET', path);
    }
    // The echoing provider was reached, and what it echoed arrived redacted.
    expect(answers.some((a) => /Incorrect API key provided: sk-\*\*\*/.test(text(a.body)))).toBe(
      true,
    );
    const errors = answers.filter((a) => a.status >= 400);
    expect(errors.length).toBeGreaterThanOrEqual(7);
    const found = answers.flatMap((a) =>
      leaks(text(a.body), SECRETS).map((k) => `${k} in ${a.what} (${a.status})`),
    );
    expect(found).toEqual([]);
    process.stdout.write(
      `secrets: api answers=${answers.length} (errors=${errors.length}), leaks=${found.length}\n`,
    );
  });

  it('no secret in any workflow history, memo or search attribute', async () => {
    const client = p.temporal.client;
    const ids = await workflowIds();
    // Stories x8, chat, context, batch + 2 children, MCP story at least.
    expect(ids.length).toBeGreaterThanOrEqual(13);
    let events = 0;
    let all = '';
    const found: string[] = [];
    for (const id of ids) {
      const handle = client.workflow.getHandle(id);
      const history = await handle.fetchHistory();
      events += history.events?.length ?? 0;
      const described = await handle.describe();
      const t = text({
        history,
        memo: described.memo,
        searchAttributes: described.searchAttributes,
        typed: described.typedSearchAttributes,
        raw: described.raw,
      });
      found.push(...leaks(t, SECRETS).map((k) => `${k} in ${id}`));
      all += t;
    }
    expect(found).toEqual([]);
    // The grep can see payloads: request content is legitimately in workflow inputs.
    expect(all).toContain(MARKERS.story);
    expect(all).toContain(MARKERS.batch);
    process.stdout.write(
      `secrets: workflows=${ids.length}, history events=${events}, leaks=${found.length}\n`,
    );
  });

  it('no secret and no request body in any log line (API, worker, Temporal SDK, console)', async () => {
    await new Promise((r) => setTimeout(r, 300));
    expect(sdkLogCaptured()).toBe(true);
    const appLog = capture.lines();
    const sdkLog = sdkLogEntries();
    expect(appLog.length).toBeGreaterThan(50);
    expect(sdkLog.length).toBeGreaterThan(0);
    expect(appLog.some((l) => l.msg === 'request refused')).toBe(true);
    const sources: Record<string, string> = {
      'app log': text(appLog),
      'sdk log': text(sdkLog),
      console: consoleOut.join('\n'),
    };
    const found: string[] = [];
    for (const [where, t] of Object.entries(sources)) {
      found.push(...leaks(t, { ...SECRETS, ...MARKERS, M }).map((k) => `${k} in ${where}`));
    }
    expect(found).toEqual([]);
    process.stdout.write(
      `secrets: log lines app=${appLog.length}, sdk=${sdkLog.length}, console=${consoleOut.length}; planted secrets=${Object.keys(SECRETS).length}, markers=${Object.keys(MARKERS).length}, leaks=${found.length}\n`,
    );
  });
});

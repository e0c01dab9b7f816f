import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createApiApp } from '../api/bootstrap';
import { createLogger } from '../common/logger';
import { startTestPlatform, type TestPlatform } from './support/platform';
import { testConfig } from './support/test-config';

/**
 * Issue 5 acceptance: the SDK's own client over both transports (Streamable HTTP at /mcp of
 * the API, stdio against the real `mcp/stdio.ts` entry in a child process), real Temporal,
 * real worker, real DB and the simulator over HTTP.
 */

// Set here rather than trusting the config: Jest reads testTimeout only globally, not per project.
jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..');

// Tool results are JSON read field by field in assertions.
type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  structuredContent?: any;
};

async function connectHttp(baseUrl: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'quillflow-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers } }),
  );
  return client;
}

function stdioTransport(p: TestPlatform): {
  transport: StdioClientTransport;
  stderr: () => string;
} {
  const env = p.config.env;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['-r', path.join(ROOT, 'test/support/ts-register.js'), path.join(ROOT, 'mcp/stdio.ts')],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      QUILLFLOW_HOME: ROOT,
      DATABASE_URL: p.databaseUrl,
      TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE,
      PROVIDER_NAME: p.config.provider.name,
      PROVIDER_API_BASE_URL: p.config.provider.baseUrl,
      PROVIDER_API_KEY: p.config.provider.apiKey,
      PROVIDER_MODEL: p.config.provider.model,
      LOG_FILE_PATH: '',
      LOG_LEVEL: 'info',
      RATE_LIMITING_ENABLED: 'false',
    },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { transport, stderr: () => stderr };
}

const call = async (
  client: Client,
  name: string,
  args: Record<string, unknown>,
  onprogress?: (p: { progress: number }) => void,
) =>
  (await client.callTool(
    { name, arguments: args },
    undefined,
    onprogress ? { onprogress, resetTimeoutOnProgress: true } : undefined,
  )) as ToolResult;

const readJson = async (client: Client, uri: string) =>
  JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text);

async function eventually<T>(
  f: () => Promise<T | undefined>,
  what: string,
  ms = 15000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A raw POST to /mcp with chosen Host/Origin/Authorization (fetch cannot set Host). */
function rawPost(
  baseUrl: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const url = new URL(`${baseUrl}/mcp`);
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('MCP server (real Temporal, real DB, both transports)', () => {
  let p: TestPlatform;
  let client: Client;
  beforeAll(async () => {
    p = await startTestPlatform();
    client = await connectHttp(p.baseUrl);
  });
  afterAll(async () => {
    await client?.close();
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  describe('Streamable HTTP at /mcp', () => {
    it('lists tools, resources, resource templates and prompts', async () => {
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(
        expect.arrayContaining([
          'generate_story_semantic_kernel',
          'generate_story_langchain',
          'generate_story_langgraph',
          'list_frameworks',
          'compare_frameworks',
          'list_runs',
          'get_run',
          'get_run_history',
          'cancel_run',
        ]),
      );
      expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(
        expect.arrayContaining(['data://config', 'stories://recent']),
      );
      expect(
        (await client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate),
      ).toEqual(
        expect.arrayContaining([
          'stories://recent/{limit}',
          'story://{id}',
          'run://{workflowId}',
          'run://{workflowId}/history',
        ]),
      );
      expect((await client.listPrompts()).prompts.map((x) => x.name).sort()).toEqual([
        'classic_adventure_story',
        'comedy_story',
        'fantasy_quest_story',
        'mystery_story',
        'sci_fi_story',
        'story_prompt_list',
      ]);
      const config = await readJson(client, 'data://config');
      expect(config).toMatchObject({
        name: 'AI Story Generator MCP Server',
        framework_count: 3,
        provider: 'simulator',
        model: 'quillflow-sim-1',
      });
    });

    it('generates a story with each framework, saved with origin mcp, its GUID, request id and real model', async () => {
      const frameworks = ['semantic_kernel', 'langchain', 'langgraph'] as const;
      const results = await Promise.all(
        frameworks.map((f, i) =>
          call(client, `generate_story_${f}`, {
            primary_character: `Hero ${i}`,
            secondary_character: "O'Brien",
          }),
        ),
      );
      for (const [i, r] of results.entries()) {
        expect(r.isError).toBeFalsy();
        const s = r.structuredContent;
        expect(s).toMatchObject({
          framework: frameworks[i],
          model: 'quillflow-sim-1',
          primary_character: `Hero ${i}`,
        });
        expect(s.story.length).toBeGreaterThan(50);
        expect(s.total_tokens).toBeGreaterThan(0);
        expect(s.estimated_cost_usd).toBeGreaterThan(0);
        expect(s.workflow_id).toMatch(/^story-/);
        const row = await p.prisma.story.findUniqueOrThrow({ where: { id: s.id } });
        expect(row.origin).toBe('mcp');
        expect(row.method).toBe(frameworks[i]);
        expect(row.model).toBe('quillflow-sim-1');
        expect(row.correlationId).toBe(s.transaction_guid);
        expect(row.requestId).toBe(s.request_id);
        expect(row.workflowId).toBe(s.workflow_id);
        const d = await p.temporal.client.workflow.getHandle(s.workflow_id).describe();
        const sa = Object.fromEntries(
          d.typedSearchAttributes.getAll().map((x) => [x.key.name, x.value]),
        );
        expect(sa).toMatchObject({
          Origin: 'mcp',
          WorkflowKind: 'story',
          Framework: frameworks[i],
          GenerationState: 'completed',
        });
      }
      expect(new Set(results.map((r) => r.structuredContent.transaction_guid)).size).toBe(3);
    });

    it('takes the caller transaction GUID header and reports progress while waiting', async () => {
      const guid = `mcp-guid-${randomUUID()}`;
      const guided = await connectHttp(p.baseUrl, { 'x-transaction-guid': guid });
      try {
        p.sim.setLatency(1500);
        const progress: number[] = [];
        const r = await call(
          guided,
          'generate_story_langchain',
          { primary_character: 'Ada', secondary_character: 'Babbage' },
          (x) => progress.push(x.progress),
        );
        expect(r.isError).toBeFalsy();
        expect(r.structuredContent.transaction_guid).toBe(guid);
        expect(progress.length).toBeGreaterThan(0);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
        const row = await p.prisma.story.findUniqueOrThrow({
          where: { id: r.structuredContent.id },
        });
        expect(row.correlationId).toBe(guid);
      } finally {
        await guided.close();
      }
    });

    it('wait=false returns the workflow id at once; the run, its history and the story are readable', async () => {
      const r = await call(client, 'generate_story_langgraph', {
        primary_character: 'Zoë',
        secondary_character: 'Elf #1',
        wait: false,
      });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ status: 'RUNNING' });
      const wf: string = r.structuredContent.workflow_id;

      const run = await eventually(async () => {
        const g = await call(client, 'get_run', { workflow_id: wf });
        return g.structuredContent.status === 'COMPLETED' ? g.structuredContent : undefined;
      }, 'the run to complete');
      expect(run.searchAttributes.Origin).toBe('mcp');
      expect(run.attemptCount).toBeGreaterThanOrEqual(2); // draft + critique at least

      const resource = await readJson(client, `run://${wf}`);
      expect(resource).toMatchObject({ workflowId: wf, status: 'COMPLETED' });

      const history = await readJson(client, `run://${wf}/history`);
      const types = history.events.map((e: { type: string }) => e.type);
      expect(types[0]).toBe('WorkflowExecutionStarted');
      expect(types[types.length - 1]).toBe('WorkflowExecutionCompleted');
      const graph = history.activities.find(
        (a: { activityType: string }) => a.activityType === 'generateLangGraph',
      );
      expect(graph).toMatchObject({ status: 'completed' });
      expect(graph.llmAttempts.length).toBeGreaterThanOrEqual(2);

      const viaTool = await call(client, 'get_run_history', { workflow_id: wf });
      expect(viaTool.structuredContent.eventCount).toBe(history.eventCount);

      const storyId = run.result.storyId as number;
      expect(await readJson(client, `story://${storyId}`)).toMatchObject({
        id: storyId,
        origin: 'mcp',
        workflow_id: wf,
      });
      const recent = await readJson(client, 'stories://recent/100');
      expect(recent.stories.map((s: { id: number }) => s.id)).toContain(storyId);
      expect(recent.total_count).toBeGreaterThanOrEqual(1);

      const listed = await eventually(async () => {
        const l = await call(client, 'list_runs', {
          origin: 'mcp',
          type: 'story',
          framework: 'langgraph',
          pageSize: 100,
        });
        return l.structuredContent.runs.find((x: { workflowId: string }) => x.workflowId === wf);
      }, 'the run in list_runs');
      expect(listed.searchAttributes).toMatchObject({
        Origin: 'mcp',
        WorkflowKind: 'story',
        Framework: 'langgraph',
      });
    });

    it('compare_frameworks runs all three concurrently and names the winners', async () => {
      const r = await call(client, 'compare_frameworks', {
        primary_character: 'Tortoise',
        secondary_character: 'Hare',
      });
      expect(r.isError).toBeFalsy();
      const s = r.structuredContent;
      for (const f of ['semantic_kernel', 'langchain', 'langgraph']) {
        expect(s[f]).toMatchObject({
          success: true,
          status: 'COMPLETED',
          model: 'quillflow-sim-1',
        });
        expect(s[f].story_length).toBe(s[f].story.length);
        expect(
          (await p.prisma.story.findUniqueOrThrow({ where: { workflowId: s[f].workflow_id } }))
            .origin,
        ).toBe('mcp');
      }
      expect(s.comparison).toMatchObject({ successful: 3, failed: 0 });
      expect(s.comparison.total_tokens).toBe(
        s.semantic_kernel.tokens + s.langchain.tokens + s.langgraph.tokens,
      );
      for (const w of ['fastest', 'cheapest', 'longest_story'])
        expect(['semantic_kernel', 'langchain', 'langgraph']).toContain(s.comparison.winners[w]);
    });

    it('cancel_run cancels a running story; cancelling again is an error result', async () => {
      p.sim.setLatency(20000);
      const r = await call(client, 'generate_story_semantic_kernel', {
        primary_character: 'Slow',
        secondary_character: 'Poke',
        wait: false,
      });
      const wf: string = r.structuredContent.workflow_id;
      const c = await call(client, 'cancel_run', { workflow_id: wf });
      expect(c.structuredContent).toMatchObject({ workflowId: wf, status: 'CANCEL_REQUESTED' });
      await expect(p.temporal.client.workflow.getHandle(wf).result()).rejects.toThrow();
      expect((await p.temporal.client.workflow.getHandle(wf).describe()).status.name).toBe(
        'CANCELLED',
      );
      const again = await call(client, 'cancel_run', { workflow_id: wf });
      expect(again.isError).toBe(true);
      expect(again.content[0].text).toMatch(/RunNotRunning/);
    });

    it('bad input is an isError result naming the field; nothing starts and the server keeps serving', async () => {
      const before = p.sim.stats().requests;
      const cases: [string, Record<string, unknown>, string][] = [
        ['generate_story_langchain', { primary_character: 'Alice' }, 'secondary_character'],
        [
          'generate_story_langchain',
          { primary_character: 'Alice', secondary_character: 'alice' },
          'secondary_character',
        ],
        [
          'generate_story_langgraph',
          { primary_character: 42, secondary_character: 'Bob' },
          'primary_character',
        ],
        [
          'compare_frameworks',
          { primary_character: '!!!', secondary_character: 'Bob' },
          'primary_character',
        ],
        ['get_run', { workflow_id: 'not a workflow id' }, 'workflow_id'],
        ['list_runs', { pageSize: 5000 }, 'pageSize'],
        ['list_runs', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
        ['cancel_run', {}, 'workflow_id'],
      ];
      for (const [tool, args, field] of cases) {
        const r = await call(client, tool, args);
        expect(r.isError).toBe(true);
        expect(r.content[0].text).toContain(field);
      }
      const missing = await call(client, 'get_run', { workflow_id: 'story-does-not-exist' });
      expect(missing.isError).toBe(true);
      expect(missing.content[0].text).toMatch(/NotFound/);
      await expect(client.readResource({ uri: 'stories://recent/0' })).rejects.toThrow(/limit/);
      await expect(client.readResource({ uri: 'story://999999' })).rejects.toThrow(/not found/);
      expect(p.sim.stats().requests).toBe(before);
      expect((await call(client, 'list_frameworks', {})).isError).toBeFalsy();
    });

    describe('batches', () => {
      const getBatch = async (id: string) =>
        (await call(client, 'get_batch', { batch_id: id })).structuredContent;

      it('start_batch, pause, resume and follow the batch to completion', async () => {
        const tools = (await client.listTools()).tools.map((t) => t.name);
        expect(tools).toEqual(
          expect.arrayContaining([
            'start_batch',
            'get_batch',
            'pause_batch',
            'resume_batch',
            'cancel_batch',
          ]),
        );
        p.sim.setLatency(800);
        const started = await call(client, 'start_batch', {
          items: [
            { primaryCharacter: 'Batchy', secondaryCharacter: 'Robin' },
            { primaryCharacter: 'Ann', secondaryCharacter: 'Ben' },
          ],
          frameworks: ['langchain', 'semantic-kernel'],
          concurrency: 1,
        });
        expect(started.isError).toBeFalsy();
        const id: string = started.structuredContent.batchId;
        expect(id).toMatch(/^batch-/);
        expect(started.structuredContent).toMatchObject({ status: 'RUNNING', totalItems: 4 });

        expect((await call(client, 'pause_batch', { batch_id: id })).isError).toBeFalsy();
        expect((await getBatch(id)).progress.state).toBe('paused');
        expect((await call(client, 'resume_batch', { batch_id: id })).isError).toBeFalsy();
        p.sim.setLatency(0);

        const done = await eventually(
          async () => {
            const b = await getBatch(id);
            return b.status === 'COMPLETED' ? b : undefined;
          },
          'the batch to complete',
          90000,
        );
        expect(done.progress).toMatchObject({
          state: 'completed',
          total: 4,
          completed: 4,
          failed: 0,
        });

        const resource = await readJson(client, `batch://${id}`);
        expect(resource.items.total).toBe(4);
        expect(resource.report).toMatchObject({ completed: 4 });
        expect((await p.prisma.batch.findUniqueOrThrow({ where: { id } })).origin).toBe('mcp');
        expect(await p.prisma.story.count({ where: { batchId: id } })).toBe(4);
        const d = await p.temporal.client.workflow.getHandle(id).describe();
        expect(d.typedSearchAttributes.getAll().find((x) => x.key.name === 'Origin')?.value).toBe(
          'mcp',
        );

        const late = await call(client, 'pause_batch', { batch_id: id });
        expect(late.isError).toBe(true);
        expect(late.content[0].text).toMatch(/RunNotRunning/);
      }, 120000);

      it('start_batch with wait=true reports progress; cancel_batch stops a running batch', async () => {
        const progress: number[] = [];
        const waited = await call(
          client,
          'start_batch',
          {
            generate: { count: 2, primaryNames: ['Gen A', 'Gen B'], secondaryNames: ['Gen C'] },
            frameworks: ['langgraph'],
            wait: true,
          },
          (x) => progress.push(x.progress),
        );
        expect(waited.isError).toBeFalsy();
        expect(waited.structuredContent).toMatchObject({
          status: 'COMPLETED',
          progress: { completed: 2 },
        });
        expect(progress.length).toBeGreaterThan(0);

        p.sim.setLatency(20000);
        const slow = await call(client, 'start_batch', {
          items: [{ primaryCharacter: 'Slow', secondaryCharacter: 'Batch' }],
          frameworks: ['langchain'],
        });
        const id: string = slow.structuredContent.batchId;
        const c = await call(client, 'cancel_batch', { batch_id: id });
        expect(c.structuredContent).toMatchObject({ batchId: id, status: 'CANCEL_REQUESTED' });
        const cancelled = await eventually(
          async () => {
            const b = await getBatch(id);
            return b.status !== 'RUNNING' ? b : undefined;
          },
          'the batch to stop',
          60000,
        );
        expect(cancelled.progress.state).toBe('cancelled');
      }, 120000);

      it('bad batch input is an isError result naming the field', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ frameworks: ['langchain'] }, 'items'],
          [{ items: [{ primaryCharacter: 'A', secondaryCharacter: 'B' }] }, 'frameworks'],
          [
            {
              items: [{ primaryCharacter: 'A', secondaryCharacter: 'a' }],
              frameworks: ['langchain'],
            },
            'secondaryCharacter',
          ],
          [
            {
              items: [{ primaryCharacter: 'A', secondaryCharacter: 'B' }],
              frameworks: ['langchain'],
              concurrency: 0,
            },
            'concurrency',
          ],
        ];
        for (const [args, field] of cases) {
          const r = await call(client, 'start_batch', args);
          expect(r.isError).toBe(true);
          expect(r.content[0].text).toContain(field);
        }
        const missing = await call(client, 'get_batch', { batch_id: 'batch-nope' });
        expect(missing.isError).toBe(true);
        expect(missing.content[0].text).toMatch(/NotFound/);
      });
    });

    it('chat starts a conversation and continues it, with origin mcp', async () => {
      const first = await call(client, 'chat', {
        framework: 'langchain',
        message: 'Hello there, who are you?',
      });
      expect(first.isError).toBeFalsy();
      const id = first.structuredContent.conversation_id as number;
      expect(first.structuredContent.reply.length).toBeGreaterThan(0);
      const second = await call(client, 'chat', {
        framework: 'semantic-kernel',
        message: 'Tell me more.',
        conversation_id: id,
      });
      expect(second.structuredContent.conversation_id).toBe(id);
      expect(second.structuredContent.conversation.message_count).toBe(4);
      expect((await p.prisma.chatConversation.findUniqueOrThrow({ where: { id } })).origin).toBe(
        'mcp',
      );
      const bad = await call(client, 'chat', { framework: 'crewai', message: 'x' });
      expect(bad.isError).toBe(true);
      expect(bad.content[0].text).toContain('framework');
    });

    it('run_context_prompt answers over an uploaded file, recorded with origin mcp', async () => {
      const fileId = randomUUID();
      const content = '=== FILE: notes.txt ===\nThe launch is on Tuesday.';
      await p.prisma.contextFile.create({
        data: {
          id: fileId,
          originalFilename: 'notes.txt',
          fileType: 'txt',
          fileSizeBytes: content.length,
          processedContent: content,
          processedContentLength: content.length,
          processingTimeMs: 1,
          sha256: 'x'.repeat(64),
          correlationId: randomUUID(),
        },
      });
      const files = await call(client, 'list_context_files', {});
      expect(
        files.structuredContent.files.map(
          (f: { file_id?: string; id?: string }) => f.file_id ?? f.id,
        ),
      ).toContain(fileId);
      const r = await call(client, 'run_context_prompt', {
        file_ids: [fileId],
        system_prompt: 'Answer from this context: [context]',
        user_prompt: 'When is the launch?',
        method: 'semantic-kernel',
      });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent.status).toBe('completed');
      const row = await p.prisma.contextPromptExecution.findUniqueOrThrow({
        where: { id: r.structuredContent.id },
      });
      expect(row.origin).toBe('mcp');
      expect(row.method).toBe('semantic_kernel');
      const noPlaceholder = await call(client, 'run_context_prompt', {
        file_ids: [fileId],
        system_prompt: 'no placeholder',
        user_prompt: 'x',
      });
      expect(noPlaceholder.isError).toBe(true);
      expect(noPlaceholder.content[0].text).toContain('[context]');
    });
  });

  describe('HTTP protection', () => {
    let keyed: INestApplication;
    let keyedUrl: string;
    beforeAll(async () => {
      const config = testConfig({
        DATABASE_URL: p.databaseUrl,
        PROVIDER_API_BASE_URL: p.config.provider.baseUrl,
        TEMPORAL_ADDRESS: p.config.env.TEMPORAL_ADDRESS,
        TEMPORAL_TASK_QUEUE: p.config.env.TEMPORAL_TASK_QUEUE,
        API_KEYS: 'user-key-1',
        ADMIN_API_KEYS: 'admin-key-1',
        MCP_ALLOWED_ORIGINS: 'https://app.example.com',
      });
      const logger = createLogger('test', {
        level: 'warn',
        pretty: false,
        filePath: '',
        rotationHours: 1,
        retentionDays: 1,
      });
      keyed = await createApiApp({ config, logger, prisma: p.prisma, temporal: p.temporal.client });
      await keyed.listen(0, '127.0.0.1');
      keyedUrl = (await keyed.getUrl()).replace('[::1]', '127.0.0.1');
    });
    afterAll(async () => {
      await keyed?.close();
    });

    it('with API keys configured: no key 401, wrong key 401, user or admin bearer key works', async () => {
      const none = await rawPost(keyedUrl, {});
      expect(none.status).toBe(401);
      expect(none.body).toMatch(/Missing API key/);
      expect((await rawPost(keyedUrl, { authorization: 'Bearer nope' })).status).toBe(401);
      expect((await rawPost(keyedUrl, { authorization: 'Bearer admin-key-1' })).status).toBe(200);
      const c = await connectHttp(keyedUrl, { authorization: 'Bearer user-key-1' });
      try {
        expect((await c.listTools()).tools.length).toBeGreaterThan(5);
      } finally {
        await c.close();
      }
      await expect(connectHttp(keyedUrl)).rejects.toThrow();
    });

    it('tools that stop or steer others’ work need an admin key', async () => {
      const asUser = await connectHttp(keyedUrl, { authorization: 'Bearer user-key-1' });
      const asAdmin = await connectHttp(keyedUrl, { authorization: 'Bearer admin-key-1' });
      try {
        const refused = await call(asUser, 'cancel_run', { workflow_id: 'story-does-not-exist' });
        expect(refused.isError).toBe(true);
        expect(refused.content[0].text).toMatch(/^Forbidden: .*admin/);
        expect(
          (await call(asUser, 'pause_batch', { batch_id: 'batch-x' })).content[0].text,
        ).toMatch(/^Forbidden/);
        const admitted = await call(asAdmin, 'cancel_run', { workflow_id: 'story-does-not-exist' });
        expect(admitted.content[0].text).toMatch(/^NotFound/);
        expect((await call(asUser, 'list_frameworks', {})).isError).toBeFalsy();
      } finally {
        await asUser.close();
        await asAdmin.close();
      }
    });

    it('DNS rebinding: a foreign Host or Origin gets 403; localhost and configured origins pass', async () => {
      const auth = { authorization: 'Bearer user-key-1' };
      expect((await rawPost(keyedUrl, { ...auth, host: 'evil.example:80' })).status).toBe(403);
      expect((await rawPost(keyedUrl, { ...auth, origin: 'http://evil.example' })).status).toBe(
        403,
      );
      expect((await rawPost(keyedUrl, { ...auth, origin: 'null' })).status).toBe(403);
      expect(
        (await rawPost(keyedUrl, { ...auth, host: `localhost:${new URL(keyedUrl).port}` })).status,
      ).toBe(200);
      expect((await rawPost(keyedUrl, { ...auth, origin: 'http://localhost:5173' })).status).toBe(
        200,
      );
      expect((await rawPost(keyedUrl, { ...auth, origin: 'https://app.example.com' })).status).toBe(
        200,
      );
      // The open test platform (no keys) still checks hosts.
      expect((await rawPost(p.baseUrl, { host: 'attacker.test' })).status).toBe(403);
    });

    it('GET and DELETE are 405 (stateless server)', async () => {
      const res = await fetch(`${p.baseUrl}/mcp`, {
        method: 'GET',
        headers: { accept: 'text/event-stream' },
      });
      expect(res.status).toBe(405);
      expect((await fetch(`${p.baseUrl}/mcp`, { method: 'DELETE' })).status).toBe(405);
    });
  });

  describe('stdio (the real entry in a child process)', () => {
    let stdio: Client;
    let stderr: () => string;
    beforeAll(async () => {
      const t = stdioTransport(p);
      stderr = t.stderr;
      stdio = new Client({ name: 'quillflow-stdio-test', version: '1' });
      try {
        await stdio.connect(t.transport);
      } catch (err) {
        throw new Error(`stdio server did not start: ${(err as Error).message}\n${stderr()}`);
      }
    }, 120000);
    afterAll(async () => {
      await stdio?.close();
    });

    it('lists tools and prompts, reads config, and logs only to stderr', async () => {
      expect((await stdio.listTools()).tools.map((t) => t.name)).toContain(
        'generate_story_langchain',
      );
      expect((await stdio.listPrompts()).prompts).toHaveLength(6);
      expect(await readJson(stdio, 'data://config')).toMatchObject({
        provider: 'simulator',
        framework_count: 3,
      });
      // Had anything but protocol reached stdout, the client would have failed to parse it.
      expect(stderr()).toMatch(/MCP stdio server ready/);
    });

    it('generates a story saved with origin mcp and a fresh GUID and request id per call', async () => {
      const a = await call(stdio, 'generate_story_langchain', {
        primary_character: 'Quasimodo',
        secondary_character: 'Pipe',
      });
      const b = await call(stdio, 'generate_story_semantic_kernel', {
        primary_character: 'Stdin',
        secondary_character: 'Stdout',
      });
      for (const r of [a, b]) {
        expect(r.isError).toBeFalsy();
        const row = await p.prisma.story.findUniqueOrThrow({
          where: { id: r.structuredContent.id },
        });
        expect(row.origin).toBe('mcp');
        expect(row.correlationId).toBe(r.structuredContent.transaction_guid);
        expect(row.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(a.structuredContent.transaction_guid).not.toBe(b.structuredContent.transaction_guid);
      expect(stderr()).toMatch(/mcp tool call/);
      expect(stderr()).not.toContain('Quasimodo'); // arguments are never logged
    });

    it('bad input is an isError result, not a crash', async () => {
      const r = await call(stdio, 'generate_story_langgraph', {
        primary_character: '',
        secondary_character: 'B',
      });
      expect(r.isError).toBe(true);
      expect(r.content[0].text).toContain('primary_character');
      expect((await call(stdio, 'list_frameworks', {})).isError).toBeFalsy();
    });
  });
});

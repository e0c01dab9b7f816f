import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { currentRequestContext } from '../api/http/request-context';
import { notFound } from '../api/http/api-error';
import { loadConfig } from '../common/config';
import type { StoryResult } from '../workflows/story.definitions';
import { createMcpServer } from './server';
import type { McpServices } from './services';
import { createPrismaClient } from '../prisma/client';

/** The server's contract without Temporal: fakes stand in for the Nest services. */

const storyResult = (framework: string): StoryResult => ({
  storyId: 7,
  workflowId: 'story-1',
  runId: 'run-1',
  story: 'Once upon a time.',
  primaryCharacter: 'Alice',
  secondaryCharacter: 'Bob',
  framework: framework as StoryResult['framework'],
  provider: 'simulator',
  model: 'quillflow-sim-1',
  inputTokens: 10,
  outputTokens: 20,
  totalTokens: 30,
  costUsd: '0.000123',
  inputCostPer1k: '0.001000',
  outputCostPer1k: '0.002000',
  generationTimeMs: 12,
  llmCalls: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  transactionGuid: 'guid-of-run',
});

function fakes() {
  const started: { ctx: ReturnType<typeof currentRequestContext>; req: unknown; opts: unknown }[] =
    [];
  const stories = {
    start: jest.fn(async (req: { framework: string }, opts: unknown) => {
      started.push({ ctx: currentRequestContext(), req, opts });
      const handle = {
        query: jest.fn(async () => ({ state: 'generating', framework: req.framework })),
        client: { withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn() },
      };
      return { workflowId: 'story-1', runId: 'run-1', handle };
    }),
    result: jest.fn(async () => {
      await new Promise((r) => setTimeout(r, 700));
      return storyResult('langchain');
    }),
    list: jest.fn(async (_skip: number, limit: number) =>
      Array.from({ length: Math.min(limit, 2) }, (_, i) => ({ id: i + 1 })),
    ),
    get: jest.fn(async (id: number) => {
      if (id !== 7) throw notFound('Story');
      return { id };
    }),
  };
  const services = {
    config: loadConfig({ LOG_FILE_PATH: '' }),
    prisma: { story: { count: async () => 2 } },
    temporal: {},
    stories,
    runs: { describe: jest.fn() },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    maxWaitMs: 5000,
  } as unknown as McpServices;
  return { services, stories, started };
}

async function connect(services: McpServices) {
  const server = createMcpServer(services);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'spec', version: '1' });
  await Promise.all([server.connect(a), client.connect(b)]);
  return { client, close: () => Promise.all([client.close(), server.close()]) };
}

const json = (r: { contents: unknown[] }) => JSON.parse((r.contents[0] as { text: string }).text);
const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]?.text ?? '';

describe('MCP server', () => {
  let f: ReturnType<typeof fakes>;
  let c: Awaited<ReturnType<typeof connect>>;
  beforeEach(async () => {
    f = fakes();
    c = await connect(f.services);
  });
  afterEach(() => c.close());

  it('lists the tools, prompts and resources', async () => {
    const tools = (await c.client.listTools()).tools.map((t) => t.name);
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
    const gen = (await c.client.listTools()).tools.find(
      (t) => t.name === 'generate_story_langchain',
    )!;
    expect(gen.inputSchema.required).toEqual(['primary_character', 'secondary_character']);

    const prompts = (await c.client.listPrompts()).prompts;
    expect(prompts.map((p) => p.name).sort()).toEqual(
      [
        'classic_adventure_story',
        'comedy_story',
        'fantasy_quest_story',
        'mystery_story',
        'sci_fi_story',
        'story_prompt_list',
      ].sort(),
    );
    const adventure = prompts.find((p) => p.name === 'classic_adventure_story')!;
    expect(adventure.arguments!.map((a) => [a.name, a.required])).toEqual([
      ['primary_character', true],
      ['secondary_character', true],
      ['setting', false],
    ]);

    expect((await c.client.listResources()).resources.map((r) => r.uri).sort()).toEqual([
      'data://config',
      'stories://recent',
    ]);
    expect(
      (await c.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort(),
    ).toEqual(
      [
        'run://{workflowId}',
        'run://{workflowId}/history',
        'stories://recent/{limit}',
        'story://{id}',
      ].sort(),
    );
  });

  it('fills prompt defaults and returns the eight story ideas', async () => {
    const p = await c.client.getPrompt({
      name: 'classic_adventure_story',
      arguments: { primary_character: 'Ann', secondary_character: 'Ben' },
    });
    expect(p.messages[0].role).toBe('user');
    expect(JSON.stringify(p.messages[0].content)).toMatch(/Ann.*Ben.*enchanted forest/);
    const m = await c.client.getPrompt({
      name: 'mystery_story',
      arguments: { detective: 'Poirot', suspect: 'Ratchett', location: 'train' },
    });
    expect(JSON.stringify(m.messages[0].content)).toMatch(/Poirot.*Ratchett.*train/);
    expect((await c.client.getPrompt({ name: 'story_prompt_list' })).messages).toHaveLength(8);
  });

  it('list_frameworks returns the original payload plus a transaction guid', async () => {
    const r = await c.client.callTool({ name: 'list_frameworks', arguments: {} });
    const body = r.structuredContent as {
      frameworks: { name: string; features: string[] }[];
      transaction_guid: string;
    };
    expect(body.frameworks.map((x) => x.name)).toEqual([
      'semantic_kernel',
      'langchain',
      'langgraph',
    ]);
    expect(body.frameworks[0].features).toEqual([
      'Plugin-based architecture',
      'Native functions',
      'Semantic functions',
    ]);
    expect(body.transaction_guid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    [{ secondary_character: 'Bob' }, 'primary_character'],
    [{ primary_character: '', secondary_character: 'Bob' }, 'primary_character'],
    [{ primary_character: 'Alice', secondary_character: 'x'.repeat(101) }, 'secondary_character'],
    [{ primary_character: 'Alice', secondary_character: 'ALICE' }, 'secondary_character'],
    [{ primary_character: 'Alice', secondary_character: 'Bob', wait: 'yes' }, 'wait'],
    [
      { primary_character: 'Alice', secondary_character: 'Bob', idempotency_key: 'a b' },
      'idempotency_key',
    ],
  ])('bad input %j is an isError result naming %s and starts nothing', async (args, field) => {
    const r = await c.client.callTool({ name: 'generate_story_langchain', arguments: args });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(field);
    expect(f.stories.start).not.toHaveBeenCalled();
  });

  it('starts with origin mcp in a request context and returns at once with wait=false', async () => {
    const r = await c.client.callTool({
      name: 'generate_story_semantic_kernel',
      arguments: {
        primary_character: " O'Brien ",
        secondary_character: 'José',
        wait: false,
        idempotency_key: 'k-1',
      },
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      workflow_id: 'story-1',
      status: 'RUNNING',
      framework: 'semantic_kernel',
    });
    const call = f.started[0];
    expect(call.req).toEqual({
      primaryCharacter: "O'Brien",
      secondaryCharacter: 'José',
      framework: 'semantic_kernel',
    });
    expect(call.opts).toEqual({ origin: 'mcp', idempotencyKey: 'k-1' });
    expect((r.structuredContent as { transaction_guid: string }).transaction_guid).toBe(
      call.ctx.correlationId,
    );
    expect(f.stories.result).not.toHaveBeenCalled();
  });

  it('waits for the story and reports progress to a client that asked for it', async () => {
    const progress: number[] = [];
    const r = await c.client.callTool(
      {
        name: 'generate_story_langchain',
        arguments: { primary_character: 'Alice', secondary_character: 'Bob' },
      },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(r.structuredContent).toMatchObject({
      id: 7,
      model: 'quillflow-sim-1',
      total_tokens: 30,
      estimated_cost_usd: 0.000123,
      workflow_id: 'story-1',
    });
    expect(progress).toEqual([1]);
  });

  it('answers RUNNING with the workflow id when the wait bound passes', async () => {
    f.services.maxWaitMs = 100;
    await c.close();
    c = await connect(f.services);
    const r = await c.client.callTool({
      name: 'generate_story_langgraph',
      arguments: { primary_character: 'Alice', secondary_character: 'Bob' },
    });
    expect(r.structuredContent).toMatchObject({ workflow_id: 'story-1', status: 'RUNNING' });
  });

  it('a database that is down is named, with when to retry (not an unexpected error)', async () => {
    // A real Prisma error: a PostgreSQL server nobody listens for.
    const down = createPrismaClient('postgresql://quillflow:x@127.0.0.1:1/none?schema=public');
    const err = await down.story.count().then(
      () => undefined,
      (e: unknown) => e,
    );
    await down.$disconnect();
    f.stories.start.mockRejectedValueOnce(err);
    const r = await c.client.callTool({
      name: 'generate_story_langchain',
      arguments: { primary_character: 'A', secondary_character: 'B' },
    });
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toMatchObject({ error: { type: 'DatabaseUnavailable' } });
    expect(text(r)).toMatch(
      /^DatabaseUnavailable: The database is busy or unavailable\. Retry in 2 s \(error id err_[0-9a-f]{8}\)\.$/,
    );
  });

  it('an unexpected failure is an isError result with an error id, not a crash', async () => {
    f.stories.start.mockRejectedValueOnce(new Error('database is on fire'));
    const r = await c.client.callTool({
      name: 'generate_story_langchain',
      arguments: { primary_character: 'A', secondary_character: 'B' },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/unexpected error occurred \(error id err_/);
    expect(text(r)).not.toContain('fire');
    // and the server still answers
    expect(
      (await c.client.callTool({ name: 'list_frameworks', arguments: {} })).isError,
    ).toBeFalsy();
  });

  it('reads resources and refuses bad parameters by name', async () => {
    const cfg = json(await c.client.readResource({ uri: 'data://config' }));
    expect(cfg).toMatchObject({
      name: 'AI Story Generator MCP Server',
      framework_count: 3,
      provider: 'simulator',
      simulated: true,
    });
    const recent = json(await c.client.readResource({ uri: 'stories://recent/5' }));
    expect(recent).toMatchObject({ limit: 5, total_count: 2 });
    await expect(c.client.readResource({ uri: 'stories://recent/500' })).rejects.toThrow(
      /limit must be between 1 and 100/,
    );
    await expect(c.client.readResource({ uri: 'story://8' })).rejects.toThrow(/Story not found/);
  });
});

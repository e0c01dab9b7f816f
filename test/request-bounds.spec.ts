import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runSettingsOf } from '../api/core/workflow-starter';
import { summarizeFailure } from '../api/core/workflow-errors';
import type { ContextWorkflowInput } from '../workflows/context.definitions';
import { contextWorkflow } from '../workflows/context.workflow';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/**
 * Bounded requests (issue 14, item 3) against the real stack: a request whose filled-in prompt
 * does not fit the model's context window (413) or whose worst case is over MAX_REQUEST_COST_USD
 * (422) is refused before its first LLM call, naming the figure and the limit: the simulator
 * receives nothing and no row is written. The same message over MCP; and a run started without
 * the API's check (any other way in) fails in its activity before the call.
 */
// Response bodies, read field by field in assertions.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The ceiling: above a LangGraph story's worst case (8 calls), below LangChain's (1 call). */
const CEILING = '0.01';
const TOKENS = /is ([\d,]+) tokens/;
const tokensIn = (message: string) => Number(TOKENS.exec(message)?.[1].replace(/,/g, ''));

describe('bounded requests (real Temporal, real DB, simulator over HTTP)', () => {
  let p: TestPlatform;
  let mcp: Client;

  beforeAll(async () => {
    p = await startTestPlatform({ MAX_REQUEST_COST_USD: CEILING });
    mcp = new Client({ name: 'quillflow-bounds-test', version: '1' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${p.baseUrl}/mcp`)));
  });
  afterAll(async () => {
    await mcp?.close();
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  async function upload(name: string, content: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    const res = await fetch(`${p.baseUrl}/api/context/upload`, { method: 'POST', body: form });
    const body = (await res.json()) as Json;
    expect(res.status).toBe(200);
    return body.file_id as string;
  }

  const rows = async () => ({
    executions: await p.prisma.contextPromptExecution.count(),
    stories: await p.prisma.story.count(),
    conversations: await p.prisma.chatConversation.count(),
    attempts: await p.prisma.llmCallAttempt.count(),
    batches: await p.prisma.batch.count(),
  });

  const BIG_PROMPT = {
    system_prompt: 'Answer only from these files.\n[context]',
    user_prompt: 'Summarize them.',
  };
  const execute = (fileId: string, prompt: { system_prompt: string; user_prompt: string }) =>
    http(p.baseUrl, 'POST', '/api/context/execute', { file_ids: [fileId], ...prompt });

  /** Words, not one repeated character: the tokenizer and chars / 4 both see ordinary text. */
  const text = (chars: number) =>
    'The river carries stones past the old mill every spring. '
      .repeat(Math.ceil(chars / 57))
      .slice(0, chars);

  describe('context prompts', () => {
    let bigFile: string;
    let bigMessage: string;

    it('a 9.9 MB text file is refused with 413 naming its token count and the window; nothing called or written', async () => {
      bigFile = await upload('big.txt', text(9_900_000));
      const before = await rows();
      const res = await execute(bigFile, BIG_PROMPT);
      expect(res.status).toBe(413);
      expect(res.body.error.type).toBe('RequestTooLarge');
      bigMessage = res.body.error.message as string;
      expect(bigMessage).toMatch(
        /^The context prompt \(system prompt with \[context\] filled in by the files, plus the user prompt\) is 2,475,\d{3} tokens, more than the 127,000 input tokens that fit in the context window of quillflow-sim-1 \(128,000 tokens, less MAX_TOKENS=1,000 kept for the answer\)\. Use fewer or smaller files, or fewer \[context\] placeholders/,
      );
      expect(res.body.detail).toBe(bigMessage);
      expect(p.sim.stats().requests).toBe(0);
      expect(await rows()).toEqual(before);
    });

    it('run_context_prompt over MCP gets the same message', async () => {
      const before = await rows();
      const r = (await mcp.callTool({
        name: 'run_context_prompt',
        arguments: { file_ids: [bigFile], ...BIG_PROMPT },
      })) as { isError?: boolean; content: Array<{ text: string }>; structuredContent?: Json };
      expect(r.isError).toBe(true);
      expect(r.structuredContent?.error).toEqual({ type: 'RequestTooLarge', message: bigMessage });
      expect(r.content[0].text).toBe(`RequestTooLarge: ${bigMessage}`);
      expect(p.sim.stats().requests).toBe(0);
      expect(await rows()).toEqual(before);
    });

    it('[context] twice over a file that fits once is refused with 413 at twice the tokens', async () => {
      // ~70,000 tokens: within the window once (but over the low cost ceiling), twice is not.
      const file = await upload('medium.txt', text(280_000));
      const before = await rows();
      const once = await execute(file, { system_prompt: '[context]', user_prompt: 'Summarize.' });
      expect(once.status).toBe(422);
      expect(once.body.error.type).toBe('RequestOverCostCeiling');
      expect(once.body.error.message).toMatch(
        /^The context prompt \(.*\) could cost up to \$0\.0\d+ \(1 LLM call: [\d,]+ input tokens, and up to 1,000 output tokens per call, at quillflow-sim-1's prices\), over the per-request cost ceiling of \$0\.01 \(MAX_REQUEST_COST_USD\)\./,
      );
      const twice = await execute(file, {
        system_prompt: '[context] [context]',
        user_prompt: 'Summarize.',
      });
      expect(twice.status).toBe(413);
      expect(twice.body.error.type).toBe('RequestTooLarge');
      const single = Number(
        /: ([\d,]+) input tokens/.exec(once.body.error.message as string)![1].replace(/,/g, ''),
      );
      expect(tokensIn(twice.body.error.message as string)).toBeGreaterThanOrEqual(2 * single - 10);
      expect(p.sim.stats().requests).toBe(0);
      expect(await rows()).toEqual(before);
    });

    it('a prompt within both bounds still runs', async () => {
      const file = await upload('small.txt', 'The launch is on Friday.');
      const res = await execute(file, {
        system_prompt: 'Files: [context] and again [context]',
        user_prompt: 'When is the launch?',
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('completed');
      expect(p.sim.stats().requests).toBe(1);
    });

    it('a run started without the API check fails in its activity before the call: recorded as failed, nothing sent', async () => {
      const workflowId = `context-bounds-${randomUUID()}`;
      const input: ContextWorkflowInput = {
        fileIds: [bigFile],
        systemPrompt: '[context]',
        userPrompt: 'Summarize.',
        framework: 'langchain',
        correlationId: randomUUID(),
        origin: 'api',
        settings: runSettingsOf(p.config),
      };
      const run = p.temporal.client.workflow.execute(contextWorkflow, {
        workflowId,
        taskQueue: p.config.env.TEMPORAL_TASK_QUEUE,
        args: [input],
      });
      const failure = await run.then(
        () => null,
        (err: unknown) => summarizeFailure(err),
      );
      expect(failure).toMatchObject({ type: 'RequestTooLarge', nonRetryable: true });
      expect(failure?.message).toMatch(/is 2,475,\d{3} tokens, more than the 127,000 input tokens/);
      expect(p.sim.stats().requests).toBe(0);
      const row = await p.prisma.contextPromptExecution.findUniqueOrThrow({
        where: { workflowId },
      });
      expect(row.status).toBe('failed');
      expect(row.errorMessage).toContain('RequestTooLarge: The context prompt');
      expect(await p.prisma.llmCallAttempt.count({ where: { workflowId } })).toBe(0);
    });
  });

  describe('stories', () => {
    const pair = { primaryCharacter: 'Ada', secondaryCharacter: 'Grace' };
    let storyMessage: string;

    it('a LangGraph story whose worst case is over the ceiling is 422 naming the cost and the limit; nothing started', async () => {
      const before = await rows();
      const res = await http(p.baseUrl, 'POST', '/api/stories', {
        ...pair,
        framework: 'langgraph',
      });
      expect(res.status).toBe(422);
      expect(res.body.error.type).toBe('RequestOverCostCeiling');
      storyMessage = res.body.error.message as string;
      expect(storyMessage).toMatch(
        /^This LangGraph story could cost up to \$0\.0\d+ \(8 LLM calls: [\d,]+ input tokens, and up to 1,000 output tokens per call, at quillflow-sim-1's prices\), over the per-request cost ceiling of \$0\.01 \(MAX_REQUEST_COST_USD\)\. Use Semantic Kernel or LangChain \(1 LLM call\) instead of LangGraph \(up to 8\), or raise MAX_REQUEST_COST_USD\.$/,
      );
      // The original's route too.
      const legacy = await http(p.baseUrl, 'POST', '/api/langgraph', {
        primary_character: 'Ada',
        secondary_character: 'Grace',
      });
      expect(legacy.status).toBe(422);
      expect(legacy.body.error.message).toBe(storyMessage);
      expect(p.sim.stats().requests).toBe(0);
      expect(await rows()).toEqual(before);
    });

    it('the MCP story tools give the same message, and compare_frameworks starts none of the three', async () => {
      const before = await rows();
      for (const name of ['generate_story_langgraph', 'compare_frameworks']) {
        const r = (await mcp.callTool({
          name,
          arguments: { primary_character: 'Ada', secondary_character: 'Grace' },
        })) as {
          isError?: boolean;
          structuredContent?: Json;
        };
        expect(r.isError).toBe(true);
        expect(r.structuredContent?.error).toEqual({
          type: 'RequestOverCostCeiling',
          message: storyMessage,
        });
      }
      expect(p.sim.stats().requests).toBe(0);
      expect(await rows()).toEqual(before);
    });

    it('a batch whose LangGraph items are over the ceiling is 422 naming the largest item; nothing started (HTTP and MCP)', async () => {
      const before = await rows();
      const batch = {
        items: [pair, { primaryCharacter: 'Bartholomew', secondaryCharacter: 'Grace' }],
        frameworks: ['langchain', 'langgraph'],
      };
      const res = await http(p.baseUrl, 'POST', '/api/batches', batch);
      expect(res.status).toBe(422);
      expect(res.body.error.type).toBe('RequestOverCostCeiling');
      expect(res.body.error.message).toMatch(
        /^The batch's largest LangGraph item \(a story with its longest character names\) could cost up to \$0\.0\d+ \(8 LLM calls: .* over the per-request cost ceiling of \$0\.01 \(MAX_REQUEST_COST_USD\)\./,
      );
      const r = (await mcp.callTool({ name: 'start_batch', arguments: batch })) as {
        isError?: boolean;
        structuredContent?: Json;
      };
      expect(r.isError).toBe(true);
      expect(r.structuredContent?.error).toEqual({
        type: 'RequestOverCostCeiling',
        message: res.body.error.message,
      });
      expect(p.sim.stats().requests).toBe(0);
      expect(await rows()).toEqual(before);
    });

    it('a one-call story within the ceiling runs', async () => {
      const res = await http(p.baseUrl, 'POST', '/api/stories?wait=true', {
        ...pair,
        framework: 'langchain',
      });
      expect(res.status).toBe(201);
      expect(p.sim.stats().requests).toBe(1);
    });
  });
});

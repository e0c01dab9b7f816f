import type { Workflow } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { runSettingsOf } from '../api/core/workflow-starter';
import type { ChatTurnResult } from '../common/chat-types';
import type { Correlation } from '../common/workflow-types';
import { sendMessageUpdate, type ChatTurnRequest } from '../workflows/chat.definitions';
import { contextWorkflow } from '../workflows/context.workflow';
import { storyWorkflow } from '../workflows/story.workflow';
import { writeBundleWithEcho } from './fixtures/frameworks/bundle';
import type { FRAMEWORK_CATALOG as CATALOG_WITH_ECHO } from './fixtures/frameworks/catalog';
import { REGISTRY_WITH_ECHO } from './fixtures/frameworks/registry';
import { http, startTestPlatform, type TestPlatform } from './support/platform';

/** An input of the echo bundle's workflows: production's, with echo among the frameworks. */
type WithEcho<I extends { framework: string }> = Omit<I, 'framework'> & {
  framework: keyof typeof CATALOG_WITH_ECHO;
};

/**
 * A framework is one folder plus one line: the echo fixture (test/fixtures/frameworks/echo, a
 * folder like activities/frameworks/<name>) is added to the catalog the workflow bundle loads and
 * to the worker's registry, and a story, a chat turn and a context prompt run through it end to
 * end: real Temporal, the real workflows, real activities, the database, the simulator over HTTP.
 * The API keeps production's list: it still refuses `echo`, so runs start through the client.
 */
describe('a fixture framework registered beside the real ones', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    const workflowBundlePath = await writeBundleWithEcho('echo');
    p = await startTestPlatform(
      {},
      { frameworks: { registry: REGISTRY_WITH_ECHO, workflowBundlePath } },
    );
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(() => p.sim.reset());

  // The bundle registers production's workflow functions under their own names; only its
  // framework type is wider than this process's, so the input is checked as WithEcho and the
  // function is passed as a plain `Workflow` (its parameter type would refuse `echo`).
  const start = <I extends { framework: string }>(
    workflow: (input: I) => Promise<unknown>,
    workflowId: string,
    input: WithEcho<I>,
  ) =>
    p.temporal.client.workflow.execute<Workflow>(workflow, {
      taskQueue: p.config.env.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [input],
    });
  const correlation = (): Correlation & { requestId: string } => ({
    correlationId: randomUUID(),
    requestId: randomUUID(),
    origin: 'api',
  });
  const audit = (workflowId: string) =>
    p.prisma.llmCallAttempt.findMany({ where: { workflowId }, orderBy: { id: 'asc' } });
  const activityTypes = async (workflowId: string) => {
    const history = await p.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
  };

  it('a story: generateEcho, then the usual persist step; the row and its audit name the framework', async () => {
    const workflowId = `story-echo-${randomUUID()}`;
    const result = await start(storyWorkflow, workflowId, {
      ...correlation(),
      framework: 'echo',
      primaryCharacter: 'Ada',
      secondaryCharacter: 'Grace',
      settings: runSettingsOf(p.config),
    });
    expect(result).toMatchObject({ framework: 'echo', llmCalls: 1, workflowId });
    const row = await p.prisma.story.findUniqueOrThrow({ where: { workflowId } });
    expect(row.method).toBe('echo');
    expect(row.storyContent).toContain('Grace');
    expect(
      (await audit(workflowId)).map((a) => [a.activityType, a.step, a.framework, a.outcome]),
    ).toEqual([['generateEcho', 'story', 'echo', 'success']]);
    expect(await activityTypes(workflowId)).toContain('generateEcho');
    expect(p.sim.stats().requests).toBe(1);
  });

  it("a chat turn: echo answers a conversation begun with LangChain, with that conversation's history", async () => {
    const first = await http(p.baseUrl, 'POST', '/api/chat/langchain', {
      message: 'My name is Ada.',
      conversation_id: null,
    });
    expect(first.status).toBe(200);
    const { id: conversationId, workflow_id: workflowId } = first.body.conversation;
    const turn = await p.temporal.client.workflow
      .getHandle(workflowId)
      // sendMessageUpdate's argument type, widened the same way (its args are a covariant brand).
      .executeUpdate<ChatTurnResult, [WithEcho<ChatTurnRequest>]>(sendMessageUpdate, {
        args: [
          {
            ...correlation(),
            message: 'What is my name?',
            framework: 'echo',
            newConversation: false,
          },
        ],
      });
    expect(turn).toMatchObject({ conversationId, framework: 'echo' });
    const messages = await p.prisma.chatMessage.findMany({
      where: { conversationId },
      orderBy: { id: 'asc' },
    });
    expect(messages.map((m) => [m.role, m.method])).toEqual([
      ['user', null],
      ['assistant', 'langchain'],
      ['user', null],
      ['assistant', 'echo'],
    ]);
    const rows = await audit(workflowId);
    expect(rows.map((a) => [a.activityType, a.framework])).toEqual([
      ['chatReplyLangChain', 'langchain'],
      ['chatReplyEcho', 'echo'],
    ]);
    // The earlier turn went with it: more prompt than the first turn's.
    expect(rows[1].inputTokens).toBeGreaterThan(rows[0].inputTokens);
  });

  it('a context prompt: runContextPrompt dispatches to echo through the registry', async () => {
    const form = new FormData();
    form.append('file', new Blob(['The launch is on Friday.']), 'notes.txt');
    const uploaded = await fetch(`${p.baseUrl}/api/context/upload`, { method: 'POST', body: form });
    const fileId = ((await uploaded.json()) as { file_id: string }).file_id;
    const workflowId = `context-echo-${randomUUID()}`;
    const result = await start(contextWorkflow, workflowId, {
      ...correlation(),
      fileIds: [fileId],
      systemPrompt: 'Answer from these files only.\n[context]',
      userPrompt: 'When is the launch?',
      framework: 'echo',
      settings: runSettingsOf(p.config),
    });
    expect(result).toMatchObject({ status: 'completed', framework: 'echo' });
    const row = await p.prisma.contextPromptExecution.findUniqueOrThrow({ where: { workflowId } });
    expect(row).toMatchObject({ status: 'completed', method: 'echo' });
    expect(row.llmResponse).toBeTruthy();
    // `[context]` was filled in with the file's text.
    expect(row.finalPromptLength).toBeGreaterThan(row.systemPrompt.length);
    expect((await audit(workflowId)).map((a) => [a.activityType, a.step, a.framework])).toEqual([
      ['runContextPrompt', 'context', 'echo'],
    ]);
  });

  it("the API still accepts production's frameworks only: the registry was extended for the worker", async () => {
    const story = await http(p.baseUrl, 'POST', '/api/stories', {
      primaryCharacter: 'Ada',
      secondaryCharacter: 'Grace',
      framework: 'echo',
    });
    expect(story.status).toBe(422);
    expect(JSON.stringify(story.body)).toContain(
      'framework must be one of semantic-kernel, semantic_kernel, langchain, langgraph',
    );
    const chat = await http(p.baseUrl, 'POST', '/api/chat/echo', {
      message: 'Hello',
      conversation_id: null,
    });
    expect(chat.status).toBe(404);
    expect(p.sim.stats().requests).toBe(0);
  });
});

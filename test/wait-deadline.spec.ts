import { http, startTestPlatform, type TestPlatform } from './support/platform';
import { waitFor } from './support/wait';

/**
 * A request that waits for its workflow waits at most WAIT_TIMEOUT_SECONDS (here 1 s, with the
 * simulator taking 3 s per call): then it answers that the work is still running, and the work
 * goes on to store its result. Routes with a "started" answer give it (202); routes that
 * promised the result itself answer 504 StillRunning, saying where to follow it.
 */
describe('bounded waits for workflows (real Temporal, slow simulator)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ WAIT_TIMEOUT_SECONDS: '1' });
    p.sim.setLatency(3000);
  });
  afterAll(async () => {
    await p?.close();
  });

  it('POST /api/stories?wait=true answers 202 with the run; the story is stored afterwards', async () => {
    const r = await http(p.baseUrl, 'POST', '/api/stories?wait=true', {
      primaryCharacter: 'Ann Wait',
      secondaryCharacter: 'Ben Wait',
      framework: 'semantic_kernel',
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      status: 'RUNNING',
      workflowId: expect.stringMatching(/^story-/),
    });
    expect(r.headers.get('location')).toBe(r.body.links.run);
    const result = await p.temporal.client.workflow.getHandle(r.body.workflowId as string).result();
    const row = await p.prisma.story.findUniqueOrThrow({ where: { id: result.storyId as number } });
    expect(row).toMatchObject({ primaryCharacter: 'Ann Wait', workflowId: r.body.workflowId });
  });

  it('POST /api/{framework} answers 504 StillRunning naming the run; the same Idempotency-Key then returns the story', async () => {
    const headers = { 'Idempotency-Key': `wait-${Date.now()}` };
    const body = { primary_character: 'Cy Wait', secondary_character: 'Dee Wait' };
    const r = await http(p.baseUrl, 'POST', '/api/langchain', body, headers);
    expect(r.status).toBe(504);
    expect(r.body.error).toMatchObject({ type: 'StillRunning', code: 'STILL_RUNNING' });
    expect(r.body.error.message).toMatch(
      /^Still generating after 1 s; the workflow goes on and stores the story: follow \/api\/runs\/story-k-[0-9a-f]+, or repeat this request with the same Idempotency-Key to wait again\.$/,
    );
    const workflowId = /\/api\/runs\/(story-k-[0-9a-f]+)/.exec(r.body.error.message as string)![1];
    await p.temporal.client.workflow.getHandle(workflowId).result();

    const again = await http(p.baseUrl, 'POST', '/api/langchain', body, headers);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      primary_character: 'Cy Wait',
      secondary_character: 'Dee Wait',
      framework: 'langchain',
    });
    expect(await p.prisma.story.count({ where: { workflowId } })).toBe(1);
  });

  it('a chat turn answers 504 StillRunning; the reply is stored in the conversation', async () => {
    const r = await http(p.baseUrl, 'POST', '/api/chat/langchain', { message: 'Are you there?' });
    expect(r.status).toBe(504);
    expect(r.body.error.type).toBe('StillRunning');
    const id = Number(/conversation (\d+)/.exec(r.body.error.message as string)![1]);
    expect(r.body.error.message).toContain(
      `GET /api/chat/conversations/${id} before sending it again`,
    );
    const conversation = await waitFor(
      'the assistant reply',
      () => http(p.baseUrl, 'GET', `/api/chat/conversations/${id}`),
      (c) => c.status === 200 && c.body.messages.length === 2,
    );
    expect(conversation.body.messages.map((m: { role: string }) => m.role)).toEqual([
      'user',
      'assistant',
    ]);
  });

  it('POST /api/context/execute answers 202 with the run; the execution completes afterwards', async () => {
    const form = new FormData();
    form.append('file', new Blob(['The launch is on Friday.']), 'notes.txt');
    const up = await fetch(`${p.baseUrl}/api/context/upload`, { method: 'POST', body: form });
    const fileId = ((await up.json()) as { file_id: string }).file_id;
    const r = await http(p.baseUrl, 'POST', '/api/context/execute', {
      file_ids: [fileId],
      system_prompt: 'Files: [context]',
      user_prompt: 'When is the launch?',
      framework: 'langchain',
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      status: 'RUNNING',
      workflow_id: expect.stringMatching(/^context-/),
    });
    expect(r.headers.get('location')).toBe(r.body.links.run);
    await p.temporal.client.workflow.getHandle(r.body.workflow_id as string).result();
    const row = await p.prisma.contextPromptExecution.findUniqueOrThrow({
      where: { workflowId: r.body.workflow_id as string },
    });
    expect(row.status).toBe('completed');
  });
});

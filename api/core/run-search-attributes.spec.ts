import { runSearchAttributes } from './run-search-attributes';

const names = (pairs: ReturnType<typeof runSearchAttributes>) =>
  Object.fromEntries(pairs.map((p) => [p.key.name, p.value]));

describe('runSearchAttributes', () => {
  const provider = { name: 'simulator', model: 'quillflow-sim-1' };

  it('gives a story its kind, framework, origin, correlation ID, state and primary provider', () => {
    expect(
      names(
        runSearchAttributes({
          kind: 'story',
          framework: 'langchain',
          origin: 'mcp',
          correlationId: 'c-1',
          state: 'queued',
          provider,
        }),
      ),
    ).toEqual({
      WorkflowKind: 'story',
      Framework: 'langchain',
      Origin: 'mcp',
      CorrelationId: 'c-1',
      GenerationState: 'queued',
      LlmProvider: 'simulator',
      LlmModel: 'quillflow-sim-1',
    });
  });

  it('leaves out what a batch (no framework) and a chat (no state) do not have', () => {
    const batch = names(
      runSearchAttributes({
        kind: 'batch',
        origin: 'api',
        correlationId: 'c',
        state: 'running',
        provider,
      }),
    );
    expect(batch).not.toHaveProperty('Framework');
    expect(batch.GenerationState).toBe('running');
    const chat = names(
      runSearchAttributes({
        kind: 'chat',
        framework: 'langgraph',
        origin: 'api',
        correlationId: 'c',
        provider,
      }),
    );
    expect(chat).not.toHaveProperty('GenerationState');
    expect(chat.Framework).toBe('langgraph');
  });
});

import { compareRuns, type FrameworkRun } from './compare';

const run = (o: Partial<FrameworkRun>): FrameworkRun => ({
  success: true,
  status: 'COMPLETED',
  story: 'x',
  cost: 0,
  tokens: 0,
  generation_time_ms: 0,
  story_length: 1,
  model: 'm',
  workflow_id: 'story-x',
  ...o,
});

describe('compareRuns', () => {
  it('sums, averages and picks winners over the successful runs', () => {
    const c = compareRuns({
      semantic_kernel: run({
        cost: 0.000101,
        tokens: 100,
        generation_time_ms: 300,
        story_length: 500,
      }),
      langchain: run({ cost: 0.000202, tokens: 200, generation_time_ms: 100, story_length: 900 }),
      langgraph: run({ cost: 0.000051, tokens: 300, generation_time_ms: 900, story_length: 700 }),
    });
    expect(c).toEqual({
      total_cost: 0.000354,
      total_tokens: 600,
      successful: 3,
      failed: 0,
      still_running: 0,
      averages: { cost: 0.000118, tokens: 200, generation_time_ms: 433.33, story_length: 700 },
      winners: { fastest: 'langchain', cheapest: 'langgraph', longest_story: 'langchain' },
    });
  });

  it('leaves failed and still-running runs out of totals and winners', () => {
    const c = compareRuns({
      semantic_kernel: run({ success: false, status: 'FAILED', error: 'boom', cost: 0 }),
      langchain: run({ cost: 0.5, tokens: 10, generation_time_ms: 50, story_length: 10 }),
      langgraph: run({ success: false, status: 'RUNNING' }),
    });
    expect(c).toMatchObject({
      successful: 1,
      failed: 1,
      still_running: 1,
      total_cost: 0.5,
      total_tokens: 10,
    });
    expect(c.winners).toEqual({
      fastest: 'langchain',
      cheapest: 'langchain',
      longest_story: 'langchain',
    });
  });

  it('has no averages or winners when nothing succeeded', () => {
    const c = compareRuns({ langchain: run({ success: false, status: 'FAILED' }) });
    expect(c.averages).toBeNull();
    expect(c.winners).toEqual({ fastest: null, cheapest: null, longest_story: null });
    expect(c.total_cost).toBe(0);
  });
});

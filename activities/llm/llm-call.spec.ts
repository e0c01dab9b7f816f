import { ApplicationFailure } from '@temporalio/common';
import { loadConfig } from '../../common/config';
import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import type { ActivityDeps } from '../deps';
import type { CallContext } from './call-context';
import { auditedLlmCall } from './llm-call';

/** The audit row of every attempt, billed failures included (no database needed: rows are captured). */
describe('auditedLlmCall', () => {
  const rows: Array<Record<string, unknown>> = [];
  const deps = {
    config: loadConfig({ PROVIDER_NAME: 'simulator', PROVIDER_API_KEY: 'k', PROVIDER_API_BASE_URL: 'http://127.0.0.1:1/v1', PROVIDER_MODEL: 'quillflow-sim-1' }),
    pricing: DEFAULT_PRICING_TABLE,
    logger: { warn: () => undefined, error: () => undefined, info: () => undefined },
    prisma: { llmCallAttempt: { create: async (a: { data: Record<string, unknown> }) => void rows.push(a.data) } },
    promptsDir: '',
  } as unknown as ActivityDeps;
  const ctx: CallContext = {
    correlationId: 'c-1',
    origin: 'api',
    workflowId: 'story-1',
    runId: 'r-1',
    workflowType: 'storyWorkflow',
    activityId: '1',
    activityType: 'generateLangChain',
    attempt: 2,
    heartbeat: () => undefined,
    heartbeatDetails: () => undefined,
  };
  const meta = { step: 'story', framework: 'langchain', callIndex: 0 };
  beforeEach(() => (rows.length = 0));

  it('a success is one row with tokens and cost', async () => {
    const r = await auditedLlmCall(deps, ctx, meta, async () => ({ text: 'Once upon a time', inputTokens: 1000, outputTokens: 1000 }));
    expect(r.costUsd).toBe('0.002000');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'success', attempt: 2, inputTokens: 1000, outputTokens: 1000, costUsd: '0.002000' });
  });

  it('a response the provider billed but we refuse is an error row that keeps its tokens and cost', async () => {
    const err = await auditedLlmCall(deps, ctx, meta, async () => ({ text: '  ', inputTokens: 400, outputTokens: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('ProviderEmptyCompletion');
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'error', errorType: 'ProviderEmptyCompletion', inputTokens: 400, totalTokens: 400, costUsd: '0.000200' });
  });

  it('a provider error is an error row without cost', async () => {
    const err = Object.assign(new Error('boom'), { status: 500 });
    await expect(auditedLlmCall(deps, ctx, meta, async () => Promise.reject(err))).rejects.toBeInstanceOf(ApplicationFailure);
    expect(rows[0]).toMatchObject({ outcome: 'error', errorType: 'ProviderServerError', httpStatus: 500, costUsd: '0', inputTokens: 0 });
  });
});

import { DEFAULT_PRICING_TABLE } from '../../common/pricing';
import { Prisma } from '../../prisma/client';
import type { GenerationResult } from '../../common/workflow-types';
import type { ActivityDeps } from '../deps';
import { storyPersistence } from '../story/persist-story';
import { summarizeSteps } from '../story/summarize-steps';
import type { CallContext } from './call-context';
import { auditedLlmCall } from './llm-call';
import { offlineProviderConfig, quietLogger } from '../../test/support/activity-deps';

/**
 * A database outage while a paid call ends: the audit row is not lost but carried in the
 * generation result (deferredAudit) and written by persistStory, which retries until the
 * database is back (test/reliability/crash.spec.ts shows it end to end).
 */
const camel = (column: string) =>
  column.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The audit's raw statements (INSERT ... ON CONFLICT DO NOTHING, UPDATE ... SET ... WHERE) run
 * against an array of rows: just enough SQL to keep the table a test double.
 */
function runOn(
  rows: Array<Record<string, unknown>>,
  strings: TemplateStringsArray,
  values: unknown[],
): number {
  const q = Prisma.sql(strings, ...values);
  const args = [...q.values];
  const text = q.sql.replace(/\s+/g, ' ');
  const insert = /^INSERT INTO llm_call_attempts \(([^)]*)\) VALUES/.exec(text);
  if (insert) {
    const row = Object.fromEntries(insert[1].split(',').map((c, i) => [camel(c), args[i]]));
    if (rows.some((r) => r.attemptKey === row.attemptKey)) return 0;
    rows.push(row);
    return 1;
  }
  const update = /^UPDATE llm_call_attempts SET (.*) WHERE (.*)$/.exec(text);
  if (!update) throw new Error(`unexpected statement: ${text}`);
  const set = update[1].split(',').map((a) => [camel(a.split('=')[0]), args.shift()] as const);
  const where = update[2].split(' AND ').map((c) => {
    const [column, rest] = c.split(/ = | IN /);
    const n = (rest.match(/\?/g) ?? []).length;
    return [camel(column), args.splice(0, n)] as const;
  });
  const hits = rows.filter((r) => where.every(([k, vs]) => vs.includes(r[k])));
  for (const r of hits) for (const [k, v] of set) r[k] = v;
  return hits.length;
}

describe('deferred audit rows', () => {
  const written: Array<Record<string, unknown>> = [];
  const stories: Array<Record<string, unknown>> = [];
  let databaseUp = false;
  let busyCode: string | undefined; // set: the refusal says the database is unavailable
  let dbCalls = 0;
  const down = () => {
    dbCalls++;
    if (!databaseUp)
      throw Object.assign(new Error('database is locked'), busyCode ? { code: busyCode } : {});
  };
  const deps = {
    config: offlineProviderConfig(),
    pricing: DEFAULT_PRICING_TABLE,
    logger: quietLogger,
    prisma: {
      // Test double of the one table the audit writes, so the database can be "down" at will.
      $executeRaw: async (strings: TemplateStringsArray, ...values: unknown[]) => {
        down();
        return runOn(written, strings, values);
      },
      story: {
        create: async (a: { data: Record<string, unknown> }) => {
          down();
          stories.push(a.data);
          return { id: 7, createdAt: new Date('2026-01-01T00:00:00Z') };
        },
      },
    },
    promptsDir: '',
  } as unknown as ActivityDeps;
  const ctx: CallContext = {
    correlationId: 'c-1',
    origin: 'batch',
    batchId: 'batch-1',
    workflowId: 'batch-1/item-0',
    runId: 'r-1',
    workflowType: 'storyWorkflow',
    activityId: '1',
    activityType: 'generateSemanticKernel',
    attempt: 1,
    heartbeat: () => undefined,
    heartbeatDetails: () => undefined,
  };

  it('carries the row of a paid call the database refused, and persistStory writes it first', async () => {
    databaseUp = false;
    const r = await auditedLlmCall(
      deps,
      ctx,
      { step: 'story', framework: 'semantic_kernel', callIndex: 0 },
      async () => ({
        text: 'Once upon a time',
        inputTokens: 1000,
        outputTokens: 500,
      }),
    );
    expect(written).toHaveLength(0);
    expect(r.deferredAudit).toMatchObject({
      attemptKey: 'batch-1/item-0/r-1/1/1/0',
      outcome: 'success',
      costUsd: r.costUsd,
      inputTokens: 1000,
      outputTokens: 500,
      batchId: 'batch-1',
    });
    const generation: GenerationResult = summarizeSteps(
      'semantic_kernel',
      'simulator',
      'quillflow-sim-1',
      r.text,
      [r],
    );
    const persist = storyPersistence(deps).persistStory;
    const input = {
      workflowId: ctx.workflowId,
      runId: 'r-1',
      primaryCharacter: 'Ada',
      secondaryCharacter: 'Bo',
      correlationId: 'c-1',
      origin: 'batch' as const,
      batchId: 'batch-1',
      generation,
    };

    // Still down: the persist activity fails (Temporal retries it), nothing is half written.
    await expect(persist(input)).rejects.toThrow('database is locked');
    expect(stories).toHaveLength(0);

    databaseUp = true;
    await persist(input);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      attemptKey: 'batch-1/item-0/r-1/1/1/0',
      outcome: 'success',
      costUsd: r.costUsd,
    });
    expect(written[0].createdAt).toBeInstanceOf(Date);
    expect(stories).toHaveLength(1);
  });

  it('a written row leaves nothing to carry', async () => {
    databaseUp = true;
    written.length = 0;
    const r = await auditedLlmCall(
      deps,
      ctx,
      { step: 'story', framework: 'semantic_kernel', callIndex: 0 },
      async () => ({
        text: 'Once upon a time',
        inputTokens: 10,
        outputTokens: 5,
      }),
    );
    expect(r.deferredAudit).toBeUndefined();
    // Written before the call as pending, filled in after it: one row.
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ outcome: 'success', inputTokens: 10, outputTokens: 5 });
  });

  it('after the database answers "unavailable", the next calls do not wait on it: their rows are carried at once', async () => {
    databaseUp = false;
    busyCode = 'SQLITE_BUSY';
    dbCalls = 0;
    const call = (i: number) =>
      auditedLlmCall(
        deps,
        { ...ctx, workflowId: `batch-1/item-${i}` },
        { step: 'story', framework: 'semantic_kernel', callIndex: 0 },
        async () => ({
          text: 'Once upon a time',
          inputTokens: 10,
          outputTokens: 5,
        }),
      );
    const first = await call(10);
    expect(dbCalls).toBe(1); // the pending row, refused; the outcome row is not even tried
    expect(first.deferredAudit).toMatchObject({
      attemptKey: 'batch-1/item-10/r-1/1/1/0',
      outcome: 'success',
    });
    const second = await call(11);
    expect(dbCalls).toBe(1);
    expect(second.deferredAudit).toMatchObject({
      attemptKey: 'batch-1/item-11/r-1/1/1/0',
      outcome: 'success',
    });
  });
});

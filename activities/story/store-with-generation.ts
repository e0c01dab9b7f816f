import { setTimeout as sleep } from 'node:timers/promises';
import { usd } from '../../common/money';
import type {
  GenerationResult,
  PersistedStory,
  StoreStoryInput,
  StoryGeneration,
} from '../../common/workflow-types';
import { unavailablePauseLeft } from '../../prisma/unavailable-pause';
import type { ActivityDeps } from '../deps';
import { currentCallContext } from '../llm/call-context';
import { storyPersistence } from './persist-story';

/**
 * How long a generation waits for its story row. Longer (an SQLite lock, an outage) and the run's
 * persist step, which retries without limit, writes it: the activity's own timeout is for the call.
 */
const STORE_WAIT_MS = 2_000;

type Generate = (input: StoreStoryInput) => Promise<GenerationResult>;
type StoringGenerate = (input: StoreStoryInput) => Promise<StoryGeneration>;

/**
 * Story generators that also store the story when the run asks (`input.store`), so the story
 * workflow needs no persist step: the row is written by the activity that made the generation.
 * Stored at most once and never for a different generation than the run gets:
 *  - the row is keyed by the workflow ID (persistStory), as the persist step's is;
 *  - a retried attempt first looks for a row an earlier attempt stored before its result was
 *    lost, and returns that story instead of calling the provider again;
 *  - when the database does not answer at once (or that look-up fails) the result has no
 *    `stored`, and the workflow's persist step writes the row as before.
 */
export function storingGenerator(deps: ActivityDeps): (generate: Generate) => StoringGenerate {
  const { persistStory } = storyPersistence(deps);

  /** `work`'s answer if it comes within STORE_WAIT_MS; undefined otherwise (or on an error). */
  async function atOnce<T>(what: string, workflowId: string, work: () => Promise<T>) {
    if (unavailablePauseLeft(deps.prisma) > 0) return undefined;
    const timer = new AbortController();
    const late = sleep(STORE_WAIT_MS, undefined, { signal: timer.signal }).then(
      () => undefined,
      () => undefined,
    );
    const answer = work().catch((err: unknown) => {
      deps.logger.warn(
        { err: (err as Error).message, workflowId },
        `${what} with the generation failed; the persist step will`,
      );
      return undefined;
    });
    try {
      return await Promise.race([answer, late]);
    } finally {
      timer.abort();
    }
  }

  /** The story an earlier attempt of this run stored, as the generation it stored. */
  async function storedEarlier(
    input: StoreStoryInput,
    workflowId: string,
  ): Promise<StoryGeneration | null | undefined> {
    const row = await atOnce('looking up the story', workflowId, () =>
      deps.prisma.story.findUnique({ where: { workflowId } }),
    );
    if (!row) return row;
    return {
      text: row.storyContent,
      framework: input.framework,
      provider: row.provider ?? '',
      model: row.model ?? '',
      generationTimeMs: row.generationTimeMs ?? 0,
      llmCalls: row.llmCalls,
      // Its calls' records were written (or deferred into the row's persist) by that attempt.
      steps: [],
      inputTokens: row.inputTokens ?? 0,
      outputTokens: row.outputTokens ?? 0,
      totalTokens: row.totalTokens ?? 0,
      costUsd: usd(row.estimatedCostUsd?.toString() ?? 0),
      inputCostPer1k: usd(row.inputCostPer1kTokens?.toString() ?? 0),
      outputCostPer1k: usd(row.outputCostPer1kTokens?.toString() ?? 0),
      stored: { storyId: row.id, createdAt: row.createdAt.toISOString() },
    };
  }

  return (generate) => async (input) => {
    if (!input.store) return generate(input);
    const { store: _store, framework: _framework, ...story } = input;
    const { workflowId, runId, attempt } = currentCallContext(input);
    // null = no row (this attempt stores); undefined = unknown (the persist step stores).
    const earlier = attempt > 1 ? await storedEarlier(input, workflowId) : null;
    if (earlier) return earlier;
    const generation = await generate(input);
    if (earlier === undefined) return generation;
    const stored: PersistedStory | undefined = await atOnce('storing the story', workflowId, () =>
      persistStory({ ...story, workflowId, runId, generation }),
    );
    return stored ? { ...generation, stored } : generation;
  };
}

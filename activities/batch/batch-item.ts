import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledFailure } from '@temporalio/common';
import type { BatchItemInput, BatchItemResult } from '../../common/batch-types';
import { usd, ZERO_USD } from '../../common/money';
import type { GenerationResult } from '../../common/workflow-types';
import { unavailablePauseLeft, unlessDatabasePaused } from '../../prisma/unavailable-pause';
import { failForGoodOnDataError, isDatabaseDataError } from '../data-errors';
import type { ActivityDeps } from '../deps';
import { frameworkImpl, type FrameworkRegistry } from '../frameworks/registry';
import { type CallContext, currentCallContext } from '../llm/call-context';
import { storyGeneration } from '../story/generate-story';
import { storyPersistence } from '../story/persist-story';

/** Heartbeat details of an attempt that has its generation and is storing it. */
interface Generated {
  batchItemGenerated: GenerationResult;
}
const isGenerated = (d: unknown): d is Generated =>
  typeof d === 'object' && d !== null && 'batchItemGenerated' in d;

/** Backoff of the database retries inside an attempt (as persistOptions' retry policy). */
const FIRST_WAIT_MS = 500;
const MAX_WAIT_MS = 15_000;
/** Heartbeats at least this often while waiting for the database. */
const HEARTBEAT_MS = 5_000;

/**
 * A batch item in `activity` mode: the story made and stored in one activity of the batch
 * workflow, under the item's key `<batchId>/item-<n>` (story row, audit rows), so an item is
 * found, counted and audited exactly as a child run's story is.
 *
 * Once per item, whatever fails:
 *  - the story row is keyed by the item (unique), so it is stored at most once;
 *  - a later attempt (or a retry-failed rerun) looks for that row first and counts it instead of
 *    calling the provider again;
 *  - once the generation is paid for, storing it is retried inside the attempt until the
 *    database answers (an outage delays, never fails, the item), and the generation is
 *    heartbeated first, so an attempt that dies while storing hands it to the next attempt
 *    (Temporal keeps the last heartbeat's details) instead of paying for it twice.
 * A dead worker is noticed by the heartbeat timeout (workflows/activity-options.ts, itemOptions).
 */
export function batchItems(deps: ActivityDeps, frameworks: FrameworkRegistry) {
  const generate = storyGeneration(deps);
  const { persistStory } = storyPersistence(deps);
  const { prisma } = deps;

  /** `work` against the database, tried until it answers (waits heartbeat; a cancel ends them). */
  async function untilStored<T>(
    ctx: CallContext,
    what: string,
    work: () => Promise<T>,
  ): Promise<T> {
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, MAX_WAIT_MS)) {
      try {
        return await unlessDatabasePaused(prisma, work);
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
        // Waited out: an outage. Not a write the database refuses as it is (it would loop).
        if (isDatabaseDataError(err)) throw failForGoodOnDataError(`batch item: ${what}`, err);
        deps.logger.warn(
          { err: (err as Error).message, workflowId: ctx.workflowId, attempt: ctx.attempt },
          `batch item: ${what} failed; trying again`,
        );
        const end = Date.now() + Math.max(wait, unavailablePauseLeft(prisma));
        for (let left = end - Date.now(); left > 0; left = end - Date.now()) {
          ctx.keepAlive?.();
          try {
            await sleep(
              Math.min(left, HEARTBEAT_MS),
              undefined,
              ctx.signal ? { signal: ctx.signal } : undefined,
            );
          } catch {
            const reason: unknown = ctx.signal?.reason;
            throw reason instanceof Error ? reason : new CancelledFailure('batch item cancelled');
          }
        }
      }
    }
  }

  return {
    async runBatchItem(input: BatchItemInput): Promise<BatchItemResult> {
      // The story's own fields, as persistStory takes them (the generation names its framework).
      const {
        itemKey: _key,
        index: _index,
        rerun: _rerun,
        framework: _framework,
        ...story
      } = input;
      const outer = currentCallContext(input, input.itemKey);
      // The framework's own resume point (a graph's last node) is the heartbeat unless it is ours.
      const ctx: CallContext = {
        ...outer,
        heartbeatDetails: <T>() => {
          const d = outer.heartbeatDetails<unknown>();
          return isGenerated(d) ? undefined : (d as T | undefined);
        },
      };
      const carried = outer.heartbeatDetails<unknown>();
      let generation = isGenerated(carried) ? carried.batchItemGenerated : undefined;
      if (!generation && (outer.attempt > 1 || input.rerun)) {
        // An earlier attempt may have stored the story before its result was lost: count it.
        const row = await untilStored(ctx, 'looking up its story', () =>
          prisma.story.findUnique({
            where: { workflowId: input.itemKey },
            select: { id: true, estimatedCostUsd: true, totalTokens: true, llmCalls: true },
          }),
        );
        if (row) {
          return {
            storyId: row.id,
            costUsd: usd(row.estimatedCostUsd?.toString() ?? ZERO_USD),
            totalTokens: row.totalTokens ?? 0,
            llmCalls: row.llmCalls,
            generated: false,
          };
        }
      }
      generation ??= await generate(frameworkImpl(frameworks, input.framework), input, ctx);
      const paid = generation;
      let tries = 0;
      const saved = await untilStored(ctx, 'storing its story', () => {
        // Refused once: from now on the next attempt, if any, stores this generation. (Not on the
        // first try: a heartbeat per item is a server round trip each; a worker dying in the
        // milliseconds of that write costs one call paid again, audited, as it does while it waits
        // for the provider's answer.)
        if (tries++ > 0) ctx.heartbeat({ batchItemGenerated: paid } satisfies Generated);
        return persistStory({
          ...story,
          workflowId: input.itemKey,
          runId: outer.runId,
          generation: paid,
        });
      });
      return {
        storyId: saved.storyId,
        costUsd: paid.costUsd,
        totalTokens: paid.totalTokens,
        llmCalls: paid.llmCalls,
        generated: true,
      };
    },
  };
}

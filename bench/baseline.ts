/**
 * The non-durable baselines every batch figure is read against (issue 18): the same stories
 * made without Temporal, in this one process, `lanes` at a time, on the same simulator.
 *  - `sdk`: the Semantic Kernel prompt function on the openai SDK (the provider call alone: no
 *    audit row, no story row);
 *  - `activities`: the story activities themselves (generateSemanticKernel: pacing, audit rows
 *    before and after the call; persistStory: the story row), called directly.
 * CPU is this process's (client, simulator and, for `activities`, Prisma), per story.
 */
import { randomUUID } from 'node:crypto';
import { createActivities } from '../activities';
import { Kernel } from '../activities/frameworks/semantic-kernel/kernel';
import { STORY_CALL } from '../activities/frameworks/semantic-kernel/info';
import { createOpenAIClient } from '../activities/llm/provider-client';
import { loadPrompt, storyVars } from '../activities/prompts';
import { PRIMARY_NAMES as A, SECONDARY_NAMES as B } from '../test/support/batch-names';
import type { Stack } from './harness';
import type { Figure } from './report';
import { fmtS, round } from './stats';

export type BaselineKind = 'sdk' | 'activities';

export interface BaselineResult {
  kind: BaselineKind;
  n: number;
  lanes: number;
  wallSeconds: number;
  /** wall / (n * latency / lanes) */
  floorRatio: number;
  /** CPU of this process (client + simulator [+ Prisma]) per story, ms. */
  cpuMsPerStory: number;
}

export const BASELINE_TITLES: Record<BaselineKind, string> = {
  sdk: 'not durable: openai SDK, same prompt, one process',
  activities: 'not durable: the story activities called directly (audit + story rows), one process',
};

/**
 * P3 and P5 (N up to 10,000) run the SDK baseline on at most this many stories: its wall over
 * the floor does not grow with N, and the full-size one would add minutes per report.
 */
export const SCALE_BASELINE_MAX_N = 1000;

/** A baseline as a report's figure row. */
export function baselineFigure(b: BaselineResult): Figure {
  return {
    metric: `baseline, ${BASELINE_TITLES[b.kind]}, N=${b.n}`,
    value: `${fmtS(b.wallSeconds)} (${b.floorRatio}x floor), CPU ${b.cpuMsPerStory} ms/story`,
  };
}

/** `n` stories, `lanes` at a time, the simulator answering after `latencyMs`. */
export async function runBaseline(
  stack: Stack,
  kind: BaselineKind,
  n: number,
  lanes: number,
  latencyMs: number,
): Promise<BaselineResult> {
  const story = await storyMaker(stack, kind);
  stack.sim.reset(); // resets the latency too
  stack.sim.setLatency(latencyMs, 0);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(lanes, n) }, async () => {
      for (let i = next++; i < n; i = next++)
        await story(A[i % A.length], B[Math.floor(i / A.length) % B.length]);
    }),
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const floor = (n * latencyMs) / 1000 / lanes;
  return {
    kind,
    n,
    lanes,
    wallSeconds: round(wallSeconds, 2),
    floorRatio: round(wallSeconds / Math.max(floor, 0.001), 2),
    cpuMsPerStory: round((cpu.user + cpu.system) / 1000 / n, 2),
  };
}

async function storyMaker(
  stack: Stack,
  kind: BaselineKind,
): Promise<(a: string, b: string) => Promise<unknown>> {
  const config = stack.config();
  if (kind === 'sdk') {
    const openai = createOpenAIClient(config);
    const { promptsDir } = stack.activityDeps();
    const system = loadPrompt(promptsDir, STORY_CALL.system);
    const user = loadPrompt(promptsDir, STORY_CALL.user);
    const settings = {
      maxTokens: config.provider.maxTokens,
      temperature: config.provider.temperature,
    };
    return (a, b) =>
      new Kernel(openai, config.provider.model)
        .addFunction({ name: 'WriteStory', systemTemplate: system, userTemplate: user, settings })
        .invoke('WriteStory', storyVars(a, b));
  }
  const acts = createActivities(stack.activityDeps());
  return async (a, b) => {
    const corr = { correlationId: randomUUID(), origin: 'api' as const };
    const generation = await acts.generateSemanticKernel({
      ...corr,
      framework: 'semantic_kernel',
      primaryCharacter: a,
      secondaryCharacter: b,
    });
    const id = `baseline-${randomUUID()}`;
    await acts.persistStory({
      ...corr,
      workflowId: id,
      runId: id,
      primaryCharacter: a,
      secondaryCharacter: b,
      generation,
    });
  };
}

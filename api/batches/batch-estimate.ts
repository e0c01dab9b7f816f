import { Inject, Injectable } from '@nestjs/common';
import { batchSize, pairCount, type BatchSpec } from '../../common/batch-items';
import type { AppConfig } from '../../common/config';
import type { Framework } from '../../common/frameworks';
import { addUsd, compareUsd, usd, type Usd } from '../../common/money';
import { priceUsage, type PricingTable } from '../../common/pricing';
import type {
  BatchEstimate,
  BatchEstimateFramework,
  EstimateSource,
} from '../../common/schemas/batch-estimate-responses';
import { itemCostBounds, nameBounds } from '../../activities/batch/batch-budget';
import {
  estimateStoryRequest,
  timesUsd,
  type StoryEstimate,
} from '../../activities/llm/cost-estimate';
import type { PrismaClient } from '../../prisma/client';
import { batchWorkflow } from '../../workflows/batch.workflow';
import { storyWorkflow } from '../../workflows/story.workflow';
import { RequestBounds } from '../core/request-bounds.service';
import { CONFIG, PRISMA } from '../core/tokens';

/**
 * The dry run of a batch (issue 14, "estimate before starting"): what it would cost, read-only.
 *
 * Expected tokens per item, per framework: the mean over finished items of their successful
 * calls in llm_call_attempts (`history`) once the audit trail holds MIN_HISTORY_ATTEMPTS such
 * calls of that framework and model; before that (`pricing`) the framework's shortest path
 * (one call; LangGraph: a draft and a passing critique) with its prompts counted by the worst-case
 * estimator's tokenizer and answers of TYPICAL_ANSWER_TOKENS. Either way priced with the
 * pricing table's current rates. The worst case is what the budget cap reserves per item
 * (itemCostBounds: the worst-case estimator of activities/llm/cost-estimate.ts with the batch's
 * longest names filled in), times the items.
 */

/** Successful calls of a framework and model before its measured tokens replace the prompt count. */
export const MIN_HISTORY_ATTEMPTS = 20;
/** The newest this-many successful calls are measured (recent prompts and models, a bounded read). */
export const HISTORY_WINDOW_ATTEMPTS = 2000;
/** A story or critique as the prompts ask for it (at most 300 words), in tokens, when nothing is measured. */
export const TYPICAL_ANSWER_TOKENS = 400;
/** The workflow types whose calls make stories (batch items in `activity` mode run in the batch's). */
const STORY_MAKERS = [storyWorkflow.name, batchWorkflow.name];

export interface AttemptTokens {
  workflowId: string;
  inputTokens: number;
  outputTokens: number;
}

export interface MeasuredTokens {
  attempts: number;
  items: number;
  inputPerItem: number;
  outputPerItem: number;
  callsPerItem: number;
}

/**
 * Mean tokens per item from successful call attempts: calls grouped by their story workflow, only
 * workflows that finished (a running item has paid for part of its calls), null below
 * MIN_HISTORY_ATTEMPTS calls.
 */
export function measurePerItem(
  rows: readonly AttemptTokens[],
  finished: ReadonlySet<string>,
): MeasuredTokens | null {
  const kept = rows.filter((r) => finished.has(r.workflowId));
  const items = new Set(kept.map((r) => r.workflowId)).size;
  if (kept.length < MIN_HISTORY_ATTEMPTS || items === 0) return null;
  const input = kept.reduce((n, r) => n + r.inputTokens, 0);
  const output = kept.reduce((n, r) => n + r.outputTokens, 0);
  return {
    attempts: kept.length,
    items,
    inputPerItem: input / items,
    outputPerItem: output / items,
    callsPerItem: kept.length / items,
  };
}

/**
 * Rows of a window cut at its oldest end may miss calls of the oldest item: drop that item's
 * rows when the window was full (rows newest first).
 */
export function withoutCutItem<R extends { workflowId: string }>(
  rows: readonly R[],
  windowFull: boolean,
): R[] {
  if (!windowFull || rows.length === 0) return [...rows];
  const oldest = rows[rows.length - 1].workflowId;
  return rows.filter((r) => r.workflowId !== oldest);
}

export interface FrameworkFigures {
  framework: Framework;
  items: number;
  measured: MeasuredTokens | null;
  /** The shortest path at typical answer lengths (used when nothing is measured). */
  typical: StoryEstimate;
  /** One item at worst: what the budget cap reserves for it. */
  worstPerItemUsd: Usd;
}

function tokensAndCost(pricing: PricingTable, model: string, input: number, output: number) {
  const inputTokens = Math.round(input);
  const outputTokens = Math.round(output);
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    costUsd: priceUsage(pricing, model, input, output).costUsd,
  };
}

export function frameworkEstimate(
  f: FrameworkFigures,
  pricing: PricingTable,
  model: string,
): BatchEstimateFramework {
  const source: EstimateSource = f.measured ? 'history' : 'pricing';
  const perItem = f.measured
    ? {
        input: f.measured.inputPerItem,
        output: f.measured.outputPerItem,
        calls: f.measured.callsPerItem,
      }
    : { input: f.typical.inputTokens, output: f.typical.outputTokens, calls: f.typical.llmCalls };
  return {
    framework: f.framework,
    items: f.items,
    source,
    historyAttempts: f.measured?.attempts ?? 0,
    historyItems: f.measured?.items ?? 0,
    callsPerItem: Math.round(perItem.calls * 100) / 100,
    expectedPerItem: tokensAndCost(pricing, model, perItem.input, perItem.output),
    expected: tokensAndCost(pricing, model, perItem.input * f.items, perItem.output * f.items),
    worstCaseUsd: timesUsd(f.worstPerItemUsd, f.items),
    worstCasePerItemUsd: f.worstPerItemUsd,
  };
}

export interface EstimateContext {
  provider: string;
  model: string;
  pricing: PricingTable;
  maxTokens: number;
}

/** The dry run's answer (REST and MCP alike) from the per-framework figures. */
export function batchEstimate(
  spec: BatchSpec,
  figures: readonly FrameworkFigures[],
  c: EstimateContext,
): BatchEstimate {
  const perFramework = figures.map((f) => frameworkEstimate(f, c.pricing, c.model));
  const sum = (k: 'inputTokens' | 'outputTokens' | 'totalTokens') =>
    perFramework.reduce((n, f) => n + f.expected[k], 0);
  const sources = new Set(perFramework.map((f) => f.source));
  const expectedUsd: Usd = addUsd(...perFramework.map((f) => f.expected.costUsd));
  const worstUsd: Usd = addUsd(...perFramework.map((f) => f.worstCaseUsd));
  const rate = priceUsage(c.pricing, c.model, 1000, 1000);
  return {
    dryRun: true,
    totalItems: batchSize(spec),
    pairs: pairCount(spec.source),
    frameworks: spec.frameworks,
    concurrency: spec.concurrency,
    provider: c.provider,
    model: c.model,
    pricing: {
      inputPer1kUsd: rate.inputCostUsd,
      outputPer1kUsd: rate.outputCostUsd,
      known: rate.known,
    },
    maxTokensPerCall: c.maxTokens,
    minHistoryAttempts: MIN_HISTORY_ATTEMPTS,
    expected: {
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      totalTokens: sum('totalTokens'),
      costUsd: expectedUsd,
      source: sources.size === 1 ? [...sources][0] : 'mixed',
    },
    worstCase: { costUsd: worstUsd },
    perFramework,
    budget:
      spec.budgetUsd === undefined
        ? null
        : {
            budgetUsd: usd(spec.budgetUsd),
            coversExpected: compareUsd(spec.budgetUsd, expectedUsd) >= 0,
            coversWorstCase: compareUsd(spec.budgetUsd, worstUsd) >= 0,
          },
  };
}

@Injectable()
export class BatchEstimator {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(CONFIG) private readonly config: AppConfig,
    /** The API's pricing table and prompt templates (those the request bounds use). */
    private readonly bounds: RequestBounds,
  ) {}

  /** Reads the audit trail, writes nothing, starts nothing. */
  async estimate(spec: BatchSpec): Promise<BatchEstimate> {
    const { model, name: provider, maxTokens } = this.config.provider;
    const { pricing } = this.bounds.limits;
    const { promptsDir } = this.bounds;
    const names = nameBounds(spec);
    const items = pairCount(spec.source);
    const worst = itemCostBounds(spec, {
      pricing,
      promptsDir,
      providers: this.config.providers,
    }).worstCaseUsd;
    // No revision: LangGraph's shortest path (a draft, one passing critique).
    const typical = (framework: Framework) =>
      estimateStoryRequest({
        framework,
        primaryCharacter: names.primary,
        secondaryCharacter: names.secondary,
        model,
        pricing,
        maxTokens: Math.min(maxTokens, TYPICAL_ANSWER_TOKENS),
        promptsDir,
        maxRevisions: 0,
      });
    const figures = await Promise.all(
      spec.frameworks.map(async (framework): Promise<FrameworkFigures> => ({
        framework,
        items,
        measured: await this.measured(framework, model),
        typical: typical(framework),
        worstPerItemUsd: worst[framework] ?? usd(0),
      })),
    );
    return batchEstimate(spec, figures, { provider, model, pricing, maxTokens });
  }

  /** Mean tokens per finished story of this framework and model, from its successful calls. */
  private async measured(framework: Framework, model: string): Promise<MeasuredTokens | null> {
    const rows = await this.prisma.llmCallAttempt.findMany({
      // Story calls: a story run's, or a batch item's run as an activity of its batch.
      where: { framework, model, outcome: 'success', workflowType: { in: STORY_MAKERS } },
      orderBy: { id: 'desc' },
      take: HISTORY_WINDOW_ATTEMPTS,
      select: { workflowId: true, inputTokens: true, outputTokens: true },
    });
    const window = withoutCutItem(rows, rows.length === HISTORY_WINDOW_ATTEMPTS);
    if (window.length < MIN_HISTORY_ATTEMPTS) return null;
    const ids = [...new Set(window.map((r) => r.workflowId))];
    const stories = await this.prisma.story.findMany({
      where: { workflowId: { in: ids } },
      select: { workflowId: true },
    });
    return measurePerItem(window, new Set(stories.map((s) => s.workflowId)));
  }
}

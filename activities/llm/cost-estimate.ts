import Decimal from 'decimal.js';
import {
  FRAMEWORK_CATALOG,
  type Framework,
  type FrameworkInfo,
  type StoryCall,
} from '../../common/frameworks';
import type { ProviderConfig } from '../../common/config';
import { addUsd, usd, type Usd } from '../../common/money';
import { priceUsage, type PricingTable } from '../../common/pricing';
import { messageTokens } from '../chat/history-budget';
import { loadPrompt } from '../prompts';

/**
 * Worst-case cost of a story before it runs (worker and API side: uses the tokenizer, so
 * workflow code must not import it; a workflow asks an activity).
 *
 * For every LLM call the framework can make, input tokens of the filled-in prompt templates
 * (the same files and placeholders the story activities send) × input price + `maxTokens` ×
 * output price. Text the model wrote earlier (LangGraph's story and critique) is counted at its
 * largest: `maxTokens` per insertion.
 *
 * Input tokens are an upper bound for the two ways providers count: the tokenizer (gpt-tokenizer,
 * plus the chat format's per-message overhead) and the `ceil(chars / 4)` rule (the simulator and
 * some gateways bill by it; it is larger than the tokenizer for plain English). The larger wins.
 * Each call is priced with `priceUsage`, the function that prices the audited call, rounded the
 * same way, so the worst case of an item is never below what its calls can be billed.
 */

/** The largest a filled-in value can be: from a known text, or from a set of texts (`textBound`). */
export interface TextBound {
  tokens: number;
  chars: number;
}

/** One LLM call a framework can make: its templates and the step name its audit row carries. */
export type StoryCallPlan = StoryCall;

export interface StoryEstimateInput {
  framework: Framework;
  /** The framework's info when it is not production's (a worker running fixture frameworks). */
  info?: FrameworkInfo;
  /** A name, or a bound over many (a batch's longest names: `textBound(names)`). */
  primaryCharacter: string | TextBound;
  secondaryCharacter: string | TextBound;
  model: string;
  pricing: PricingTable;
  /** `MAX_TOKENS`: the output cap of every call, and the largest earlier output fed back in. */
  maxTokens: number;
  promptsDir: string;
  /** A looping framework's revision bound (LangGraph's); its own default unless given. */
  maxRevisions?: number;
}

export interface CallEstimate {
  step: string;
  /** Upper bound of the call's input tokens. */
  inputTokens: number;
  /** Output cap: `maxTokens`. */
  outputTokens: number;
  worstCaseUsd: Usd;
}

export interface StoryEstimate {
  framework: Framework;
  model: string;
  /** LLM calls in the worst case (LangGraph: its whole loop). */
  llmCalls: number;
  /** Sum of the calls' input-token bounds. */
  inputTokens: number;
  /** `llmCalls × maxTokens`. */
  outputTokens: number;
  worstCaseUsd: Usd;
  /** false: the model is not in the pricing table, so every figure in USD is 0. */
  priced: boolean;
  calls: CallEstimate[];
}

/** Chat-format tokens that prime the reply (on top of the per-message overhead). */
const REPLY_PRIMING_TOKENS = 3;
/** A value spliced into a template can shift a token boundary on each side. */
const SPLICE_SLACK_TOKENS = 1;

/** The calls a framework can make, in order, at most (its info says which). */
export function storyCallPlan(
  framework: Framework,
  maxRevisions?: number,
  info: FrameworkInfo = FRAMEWORK_CATALOG[framework],
): StoryCallPlan[] {
  return info.story.calls(maxRevisions);
}

/** The largest of some texts in tokens and in characters (each measured on its own). */
export function textBound(texts: Iterable<string>): TextBound {
  let tokens = 0;
  let chars = 0;
  for (const t of texts) {
    tokens = Math.max(tokens, messageTokens(t) - messageTokens(''));
    chars = Math.max(chars, t.length);
  }
  return { tokens, chars };
}

/** A template filled in: exact text where the value is known, bounds where it is not. */
function messageBound(
  template: string,
  values: Record<string, string | TextBound>,
): { tokens: number; chars: number } {
  let spliced = 0;
  let splicedChars = 0;
  const text = template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, key)) return whole;
    const v = values[key];
    if (typeof v === 'string') return v;
    spliced += v.tokens + SPLICE_SLACK_TOKENS;
    splicedChars += v.chars;
    return '';
  });
  return { tokens: messageTokens(text) + spliced, chars: text.length + splicedChars };
}

/** Upper bound of a call's input tokens, from its messages' bounds (see the module comment). */
export function promptTokenBound(messages: { tokens: number; chars: number }[]): number {
  const byTokenizer = messages.reduce((n, m) => n + m.tokens, REPLY_PRIMING_TOKENS);
  const byChars = Math.ceil(messages.reduce((n, m) => n + m.chars, 0) / 4);
  return Math.max(byTokenizer, byChars);
}

/** One call at its worst: every input token and `maxTokens` of output, priced as the audit prices it. */
export function worstCaseCallUsd(
  pricing: PricingTable,
  model: string,
  inputTokens: number,
  maxTokens: number,
): Usd {
  return priceUsage(pricing, model, inputTokens, maxTokens).costUsd;
}

export function estimateStoryRequest(input: StoryEstimateInput): StoryEstimate {
  const { maxTokens } = input;
  // Model output fed back into a later prompt: at most maxTokens, i.e. at most 4 x maxTokens
  // characters where the provider counts chars / 4.
  const output: TextBound = { tokens: maxTokens, chars: 4 * maxTokens };
  const values = {
    primary_character: input.primaryCharacter,
    secondary_character: input.secondaryCharacter,
    story: output,
    critique: output,
  };
  const calls = storyCallPlan(input.framework, input.maxRevisions, input.info).map(
    (c): CallEstimate => {
      const inputTokens = promptTokenBound([
        messageBound(loadPrompt(input.promptsDir, c.system), values),
        messageBound(loadPrompt(input.promptsDir, c.user), values),
      ]);
      return {
        step: c.step,
        inputTokens,
        outputTokens: maxTokens,
        worstCaseUsd: worstCaseCallUsd(input.pricing, input.model, inputTokens, maxTokens),
      };
    },
  );
  return {
    framework: input.framework,
    model: input.model,
    llmCalls: calls.length,
    inputTokens: calls.reduce((n, c) => n + c.inputTokens, 0),
    outputTokens: calls.length * maxTokens,
    worstCaseUsd: calls.length ? addUsd(...calls.map((c) => c.worstCaseUsd)) : usd(0),
    priced: Object.prototype.hasOwnProperty.call(input.pricing, input.model),
    calls,
  };
}

/** A provider a call may be sent to: its model, its answer limit and its own prices if it has them. */
export type PricedProvider = Pick<ProviderConfig, 'model' | 'maxTokens' | 'prices'>;

/** The pricing table a call on this provider is audited with (llm-call.ts `callPrice`). */
export function providerPricing(pricing: PricingTable, p: PricedProvider): PricingTable {
  return p.prices ? { ...pricing, [p.model]: { ...pricing[p.model], ...p.prices } } : pricing;
}

/** One call's worst case on whichever of `providers` (primary first, then fallbacks) is dearest for it. */
export function worstCaseOverProviders(
  pricing: PricingTable,
  providers: readonly PricedProvider[],
  inputTokens: number,
): Usd {
  return usd(
    Decimal.max(
      0,
      ...providers.map((p) =>
        worstCaseCallUsd(providerPricing(pricing, p), p.model, inputTokens, p.maxTokens),
      ),
    ),
  );
}

/**
 * A story's calls at their worst on any of `providers`: each call may fail over on its own, so
 * each counts the largest input and the dearest price any provider gives it (a story routed call
 * by call across an input-dear and an output-dear provider costs more than on either alone).
 */
export function estimateStoryOverProviders(
  input: Omit<StoryEstimateInput, 'model' | 'pricing' | 'maxTokens'>,
  pricing: PricingTable,
  providers: readonly PricedProvider[],
): Pick<StoryEstimate, 'calls' | 'llmCalls' | 'worstCaseUsd' | 'priced'> {
  const plans = providers.map((p) =>
    estimateStoryRequest({
      ...input,
      model: p.model,
      maxTokens: p.maxTokens,
      pricing: providerPricing(pricing, p),
    }),
  );
  const calls = (plans[0]?.calls ?? []).map((c, i): CallEstimate => ({
    step: c.step,
    inputTokens: Math.max(...plans.map((e) => e.calls[i]?.inputTokens ?? 0)),
    outputTokens: Math.max(...plans.map((e) => e.calls[i]?.outputTokens ?? 0)),
    worstCaseUsd: usd(Decimal.max(...plans.map((e) => e.calls[i]?.worstCaseUsd ?? 0))),
  }));
  return {
    calls,
    llmCalls: calls.length,
    worstCaseUsd: calls.length ? addUsd(...calls.map((c) => c.worstCaseUsd)) : usd(0),
    priced: plans.every((e) => e.priced),
  };
}

/** `n` items at one worst case each (a dry run's total), exact. */
export function timesUsd(amount: Usd, n: number): Usd {
  return usd(new Decimal(amount).mul(n));
}

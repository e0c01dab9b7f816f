import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { countTokens } from 'gpt-tokenizer';
import { loadConfig } from '../../common/config';
import { DEFAULT_PRICING_TABLE, mergePricingTables } from '../../common/pricing';
import { chatTurnBoundedRequest, chatTurnTokens, historyRoom } from '../chat/turn-bounds';
import {
  combineFiles,
  contextBoundedRequest,
  contextPromptTokens,
  contextTextBound,
  contextTextUpperBound,
  fillContext,
} from '../context/build-context';
import { loadPricingTable } from '../pricing-file';
import { defaultPromptsDir, loadPrompt } from '../prompts';
import { storyBoundedRequest } from '../story/story-bounds';
import {
  assertRequestBounds,
  checkRequestBounds,
  formatUsd,
  REQUEST_OVER_COST_CEILING,
  REQUEST_TOO_LARGE,
  requestLimits,
  singleCall,
} from './request-bounds';

const promptsDir = defaultPromptsDir();
const limitsWith = (env: Record<string, string> = {}, pricing = DEFAULT_PRICING_TABLE) =>
  requestLimits(loadConfig(env), pricing);

describe('request limits', () => {
  it('take the model window from the pricing table, or DEFAULT_CONTEXT_WINDOW for a model without one', () => {
    const sim = limitsWith();
    expect(sim).toMatchObject({
      model: 'quillflow-sim-1',
      contextWindow: 128000,
      windowFromTable: true,
      maxTokens: 1000,
      maxCostUsd: '5.000000',
    });
    const other = limitsWith({
      PROVIDER_API_KEY: 'k',
      PROVIDER_API_BASE_URL: 'http://x/v1',
      PROVIDER_MODEL: 'tachyon-fast',
      DEFAULT_CONTEXT_WINDOW: '4096',
    });
    expect(other).toMatchObject({
      model: 'tachyon-fast',
      contextWindow: 4096,
      windowFromTable: false,
    });
  });

  it('refuse a cost ceiling that is not an amount', () => {
    expect(() => loadConfig({ MAX_REQUEST_COST_USD: 'lots' })).toThrow(
      /MAX_REQUEST_COST_USD: must be an amount in USD/,
    );
    expect(limitsWith({ MAX_REQUEST_COST_USD: '0.25' }).maxCostUsd).toBe('0.250000');
  });

  it('PRICING_FILE sets a window, and a price-only override keeps the built-in one', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qf-pricing-')), 'p.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        models: {
          'quillflow-sim-1': { input: '0.1', output: '0.2' },
          mine: { input: 0, output: 0, contextWindow: 32000 },
        },
      }),
    );
    const t = loadPricingTable(file);
    expect(t['quillflow-sim-1']).toEqual({ input: '0.1', output: '0.2', contextWindow: 128000 });
    expect(t.mine.contextWindow).toBe(32000);
    fs.writeFileSync(
      file,
      JSON.stringify({ models: { m: { input: '1', output: '1', contextWindow: 'big' } } }),
    );
    expect(() => loadPricingTable(file)).toThrow(/is invalid/);
    expect(
      mergePricingTables(
        { a: { input: '1', output: '1', contextWindow: 10 } },
        { a: { input: '2', output: '2' } },
      ).a.contextWindow,
    ).toBe(10);
  });
});

describe('checkRequestBounds', () => {
  const fix = { tokens: 'Make it shorter.', cost: 'Make it cheaper.' };

  it('passes a request that fits both limits', () => {
    const limits = limitsWith();
    expect(
      checkRequestBounds(limits, { what: 'It', calls: [singleCall(limits, 127000)], fix }),
    ).toBeNull();
  });

  it('refuses a call over the window less MAX_TOKENS with 413, naming the tokens, the window and the fix', () => {
    const limits = limitsWith();
    const v = checkRequestBounds(limits, {
      what: 'The prompt',
      calls: [singleCall(limits, 127001)],
      fix,
    });
    expect(v).toEqual({
      type: REQUEST_TOO_LARGE,
      message:
        'The prompt is 127,001 tokens, more than the 127,000 input tokens that fit in the context window of quillflow-sim-1 ' +
        '(128,000 tokens, less MAX_TOKENS=1,000 kept for the answer). Make it shorter.',
    });
  });

  it('says when the window is the default one', () => {
    const limits = { ...limitsWith(), windowFromTable: false };
    expect(
      checkRequestBounds(limits, { what: 'It', calls: [singleCall(limits, 200000)], fix })?.message,
    ).toContain(
      '(128,000 tokens, DEFAULT_CONTEXT_WINDOW: the pricing table gives no contextWindow for it, less MAX_TOKENS',
    );
  });

  it('refuses a worst case over MAX_REQUEST_COST_USD with 422, naming the cost, the ceiling and the fix', () => {
    const limits = limitsWith({ MAX_REQUEST_COST_USD: '0.002' });
    // 1,000 in x 0.0005/1K + 1,000 out x 0.0015/1K = 0.002: at the ceiling, allowed.
    expect(
      checkRequestBounds(limits, { what: 'It', calls: [singleCall(limits, 1000)], fix }),
    ).toBeNull();
    const v = checkRequestBounds(limits, {
      what: 'It',
      calls: [singleCall(limits, 1000), singleCall(limits, 10)],
      fix,
    });
    expect(v).toEqual({
      type: REQUEST_OVER_COST_CEILING,
      message:
        "It could cost up to $0.003505 (2 LLM calls: 1,010 input tokens, and up to 1,000 output tokens per call, at quillflow-sim-1's prices), " +
        'over the per-request cost ceiling of $0.002 (MAX_REQUEST_COST_USD). Make it cheaper.',
    });
  });

  it('holds the ceiling whichever provider a call fails over to: each call at the dearest fallback', () => {
    const fallback = (name: string, input: string, output: string) => ({
      name,
      baseUrl: 'http://fallback.invalid/v1',
      apiKey: 'k',
      model: 'quillflow-sim-1',
      inputCostPer1k: input,
      outputCostPer1k: output,
    });
    const env = (fallbacks: object[]) => ({
      MAX_REQUEST_COST_USD: '0.002',
      PROVIDER_FALLBACKS: JSON.stringify(fallbacks),
    });
    // At the primary's prices 1,000 in + 1,000 out is exactly $0.002: allowed.
    const cheap = limitsWith(env([fallback('cheaper', '0.0001', '0.001')]));
    expect(
      checkRequestBounds(cheap, { what: 'It', calls: [singleCall(cheap, 1000)], fix }),
    ).toBeNull();
    // A fallback dearer on output makes the same call's worst case 1,000 x 0.0005/1K + 1,000 x 0.003/1K.
    const dear = limitsWith(
      env([fallback('cheaper', '0.0001', '0.001'), fallback('dear', '0.0005', '0.003')]),
    );
    expect(singleCall(dear, 1000).worstCaseUsd).toBe('0.003500');
    const v = checkRequestBounds(dear, { what: 'It', calls: [singleCall(dear, 1000)], fix });
    expect(v?.type).toBe(REQUEST_OVER_COST_CEILING);
    expect(v?.message).toContain(
      "at the dearest of the provider's and its fallbacks' prices (quillflow-sim-1)",
    );
    // Stories too: every call of the plan priced at its dearest provider.
    const story = {
      primaryCharacter: 'Alice',
      secondaryCharacter: 'Bob',
      framework: 'langchain',
    } as const;
    const one = storyBoundedRequest(limitsWith(), promptsDir, story).calls[0];
    const worst = storyBoundedRequest(dear, promptsDir, story).calls[0];
    expect(Number(worst.worstCaseUsd)).toBeGreaterThan(Number(one.worstCaseUsd));
  });

  it('fails an activity for good (non-retryable, typed) when over', () => {
    const limits = limitsWith();
    let thrown: unknown;
    try {
      assertRequestBounds(limits, { what: 'It', calls: [singleCall(limits, 10 ** 7)], fix });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect(thrown).toMatchObject({ type: REQUEST_TOO_LARGE, nonRetryable: true });
  });

  it('formats dollars with cents at least', () => {
    expect([formatUsd('5'), formatUsd('0.1'), formatUsd('1.2375100')]).toEqual([
      '$5.00',
      '$0.10',
      '$1.23751',
    ]);
  });
});

describe('context prompt bounds', () => {
  const files = [
    {
      originalFilename: 'a.txt',
      processedContent: '=== FILE: a.txt ===\n\n' + 'The launch is on Friday. '.repeat(400),
    },
    {
      originalFilename: 'b.txt',
      processedContent: '=== FILE: b.txt ===\n\nRésumé: naïve café, 東京 '.repeat(50),
    },
  ];

  it('counts k placeholders as k copies of the files, within a token per placeholder of the filled prompt', () => {
    const system = 'Use these: [context]\nAnd again: [context]';
    const user = 'What is the date?';
    const exact =
      countTokens(fillContext(system, combineFiles(files))) + 4 + countTokens(user) + 4 + 3;
    const counted = contextPromptTokens(system, user, contextTextBound(files));
    expect(counted).toBeGreaterThanOrEqual(exact);
    expect(counted - exact).toBeLessThanOrEqual(2 * 3);
    const once = contextPromptTokens('Use these: [context]', user, contextTextBound(files));
    expect(counted).toBeGreaterThan(1.9 * once);
  });

  it('bounds the files from their stored lengths alone, never below the exact count', () => {
    const meta = files.map((f) => ({
      originalFilename: f.originalFilename,
      processedContentLength: f.processedContent.length,
    }));
    const upper = contextTextUpperBound(meta);
    const exact = contextTextBound(files);
    expect(upper.chars).toBe(exact.chars);
    expect(upper.tokens).toBeGreaterThanOrEqual(exact.tokens);
  });

  it('refuses a 9.9 MB file with 413 naming its token count', () => {
    const limits = limitsWith();
    const big = [{ originalFilename: 'big.txt', processedContent: 'river stone '.repeat(825_000) }];
    const v = checkRequestBounds(
      limits,
      contextBoundedRequest(limits, 'Answer from [context]', 'Summarize.', contextTextBound(big)),
    );
    expect(v?.type).toBe(REQUEST_TOO_LARGE);
    // chars / 4 dominates for this text: 9.9 M characters.
    expect(v?.message).toMatch(
      /^The context prompt \(system prompt with \[context\] filled in by the files, plus the user prompt\) is 2,475,0\d\d tokens, more than the 127,000 /,
    );
    expect(v?.message).toContain('Use fewer or smaller files, or fewer [context] placeholders');
  });
});

describe('story and chat bounds', () => {
  it('a LangGraph story counts every call of its loop; the fix names the one-call frameworks', () => {
    const limits = limitsWith({ MAX_REQUEST_COST_USD: '0.005' });
    const story = { primaryCharacter: 'Alice', secondaryCharacter: 'Bob' };
    expect(
      checkRequestBounds(
        limits,
        storyBoundedRequest(limits, promptsDir, { ...story, framework: 'langchain' }),
      ),
    ).toBeNull();
    const v = checkRequestBounds(
      limits,
      storyBoundedRequest(limits, promptsDir, { ...story, framework: 'langgraph' }),
    );
    expect(v?.type).toBe(REQUEST_OVER_COST_CEILING);
    expect(v?.message).toMatch(
      /^This LangGraph story could cost up to \$0\.\d+ \(8 LLM calls: [\d,]+ input tokens, and up to 1,000 output tokens per call/,
    );
    expect(v?.message).toContain(
      'over the per-request cost ceiling of $0.005 (MAX_REQUEST_COST_USD). Use Semantic Kernel or LangChain (1 LLM call) instead of LangGraph (up to 8)',
    );
  });

  it('a story whose prompts cannot fit the window is 413', () => {
    const limits = { ...limitsWith(), contextWindow: 2500 };
    const v = checkRequestBounds(
      limits,
      storyBoundedRequest(limits, promptsDir, {
        primaryCharacter: 'A',
        secondaryCharacter: 'B',
        framework: 'langgraph',
      }),
    );
    expect(v?.type).toBe(REQUEST_TOO_LARGE);
    expect(v?.message).toMatch(
      /^This LangGraph story is [\d,]+ tokens in its largest LLM call, more than the 1,500 input tokens/,
    );
  });

  it('chat history gets only the room the window leaves; only the message can make a turn too large', () => {
    const limits = { ...limitsWith(), contextWindow: 3000 };
    const system = loadPrompt(promptsDir, 'chat/langchain');
    const fixed = chatTurnTokens(system, [{ role: 'user', content: 'hi' }]);
    expect(historyRoom(limits, 6000, system, 'hi')).toBe(3000 - 1000 - fixed);
    expect(historyRoom(limits, 100, system, 'hi')).toBe(100);
    const long = 'word '.repeat(2000);
    expect(historyRoom(limits, 6000, system, long)).toBe(0);
    const v = checkRequestBounds(
      limits,
      chatTurnBoundedRequest(limits, chatTurnTokens(system, [{ role: 'user', content: long }])),
    );
    expect(v?.type).toBe(REQUEST_TOO_LARGE);
    expect(v?.message).toMatch(
      /^This chat turn \(system prompt, history and message\) is [\d,]+ tokens, .* Send a shorter message\.$/,
    );
  });
});

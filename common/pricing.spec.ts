import { DEFAULT_PRICING_TABLE, priceUsage } from './pricing';

describe('priceUsage', () => {
  it('prices tokens per 1K with exact decimals', () => {
    const p = priceUsage(DEFAULT_PRICING_TABLE, 'openai/gpt-4', 1234, 567);
    expect(p.inputCostUsd).toBe('0.037020');
    expect(p.outputCostUsd).toBe('0.034020');
    expect(p.costUsd).toBe('0.071040');
    expect(p.inputCostPer1k).toBe('0.030000');
    expect(p.known).toBe(true);
  });

  it('rounds to six decimals half-up', () => {
    const p = priceUsage({ m: { input: '0.00018', output: '0.00018' } }, 'm', 7, 0);
    // 7 * 0.00018 / 1000 = 0.00000126 -> 0.000001
    expect(p.costUsd).toBe('0.000001');
  });

  it('treats unknown models as free and says so', () => {
    const p = priceUsage(DEFAULT_PRICING_TABLE, 'nobody/knows', 1000, 1000);
    expect(p.costUsd).toBe('0.000000');
    expect(p.known).toBe(false);
  });
});

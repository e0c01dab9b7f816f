import { messageTokens, trimHistory } from './history-budget';

const turn = (role: 'user' | 'assistant', words: number) => ({
  role,
  content: 'word '.repeat(words).trim(),
});

describe('trimHistory', () => {
  it('keeps everything that fits', () => {
    const h = [turn('user', 5), turn('assistant', 5)];
    const r = trimHistory(h, 1000);
    expect(r.kept).toEqual(h);
    expect(r.dropped).toBe(0);
    expect(r.tokens).toBe(messageTokens(h[0].content) + messageTokens(h[1].content));
  });

  it('drops the oldest messages whole and never starts with an answer', () => {
    const h = [
      turn('user', 100),
      turn('assistant', 100),
      turn('user', 100),
      turn('assistant', 100),
      turn('user', 10),
    ];
    const per = messageTokens(h[0].content);
    // Room for the last two messages, but the older of them is an answer: it goes too.
    const r = trimHistory(h, per + messageTokens(h[4].content) + 1);
    expect(r.kept).toEqual([h[4]]);
    expect(r.dropped).toBe(4);
    const r2 = trimHistory(h, per * 3 + messageTokens(h[4].content));
    expect(r2.kept).toEqual(h.slice(2));
  });

  it('returns nothing when even the newest message exceeds the budget', () => {
    expect(trimHistory([turn('user', 500)], 10)).toEqual({ kept: [], dropped: 1, tokens: 0 });
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(messageTokens('please ignore <|endoftext|> and {braces}')).toBeGreaterThan(4);
  });
});

import { isWellFormedText } from './well-formed';

describe('isWellFormedText', () => {
  it.each(['', 'plain', 'José', '👨‍👩‍👧‍👦', '\uD83D\uDE00', 'a\u0000b', '\u202E'])('accepts %j', (s) => {
    expect(isWellFormedText(s)).toBe(true);
  });
  it.each(['\uD800', 'a\uD800', '\uDC00b', '\uDE00\uD83D', 'x\uD83D\uD83Dy'])('refuses %j', (s) => {
    expect(isWellFormedText(s)).toBe(false);
  });
});

import { z } from 'zod';
import { isWellFormedText, notWellFormed } from './well-formed';

describe('isWellFormedText', () => {
  it.each(['', 'plain', 'José', '👨‍👩‍👧‍👦', '\uD83D\uDE00', '\u202E', 'tab\tnewline\n'])(
    'accepts %j',
    (s) => {
      expect(isWellFormedText(s)).toBe(true);
    },
  );
  it.each(['\uD800', 'a\uD800', '\uDC00b', '\uDE00\uD83D', 'x\uD83D\uD83Dy', 'a\u0000b'])(
    'refuses %j',
    (s) => {
      expect(isWellFormedText(s)).toBe(false);
    },
  );
});

describe('notWellFormed messages (through zod)', () => {
  const schema = z.string().refine(isWellFormedText, notWellFormed('message'));
  it('names the NUL and the surrogate', () => {
    expect(schema.safeParse('a\u0000b').error?.issues[0].message).toBe(
      'message contains a NUL character, which cannot be stored',
    );
    expect(schema.safeParse('a\uD800').error?.issues[0].message).toBe(
      'message contains invalid Unicode (an unpaired surrogate)',
    );
  });
});

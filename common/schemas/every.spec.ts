import { EVERY_REGEX, parseEvery } from './every';

describe('parseEvery', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['6h', 21_600_000],
    ['1d', 86_400_000],
    [' 15m ', 900_000], // the web app previews what is typed
  ])('reads %j as %i ms', (every, ms) => expect(parseEvery(every)).toBe(ms));

  it.each(['', '15', 'm', '15x', '1.5h', '1234567s', '-5m'])('refuses %j', (every) =>
    expect(parseEvery(every)).toBeUndefined(),
  );

  it('reads every interval the API accepts, at 10 s or more', () => {
    for (const every of ['10s', '99s', '999999s', '1m', '999999d']) {
      expect(EVERY_REGEX.test(every)).toBe(true);
      expect(parseEvery(every)).toBeGreaterThanOrEqual(10_000);
    }
    for (const every of ['9s', '0m', '05m']) expect(EVERY_REGEX.test(every)).toBe(false);
  });
});

import { ApiKeys, presentedKey } from './api-keys';

const env = (API_KEYS: string[], ADMIN_API_KEYS: string[] = []) => ({ API_KEYS, ADMIN_API_KEYS });

describe('API keys', () => {
  it('is off with no key configured', () => {
    expect(ApiKeys.fromEnv(env([])).enabled).toBe(false);
    expect(ApiKeys.fromEnv(env([], ['a'])).enabled).toBe(true);
  });

  it('maps each key to its role; a key in both lists is an admin key', () => {
    const keys = ApiKeys.fromEnv(env(['user-1', 'user-2', 'both'], ['admin-1', 'both']));
    expect(keys.roleOf('user-1')).toBe('user');
    expect(keys.roleOf('user-2')).toBe('user');
    expect(keys.roleOf('admin-1')).toBe('admin');
    expect(keys.roleOf('both')).toBe('admin');
  });

  it.each(['', 'user', 'user-1 ', 'USER-1', 'user-1\u0000', 'admin-1x', 'x'.repeat(10_000)])(
    'refuses %j',
    (k) => {
      expect(ApiKeys.fromEnv(env(['user-1'], ['admin-1'])).roleOf(k)).toBeUndefined();
    },
  );

  it('counts short keys without exposing them', () => {
    expect(ApiKeys.shortKeys(env(['short', 'a-long-random-key-0123456789'], ['short']))).toBe(1);
  });
});

describe('presented key', () => {
  it.each([
    [{ 'x-api-key': 'k1' }, 'k1'],
    [{ 'x-api-key': '  k1  ' }, 'k1'],
    [{ authorization: 'Bearer k2' }, 'k2'],
    [{ authorization: 'bearer   k2 ' }, 'k2'],
    [{ 'x-api-key': 'k1', authorization: 'Bearer k2' }, 'k1'],
    [{ 'x-api-key': ['k1', 'k3'] }, 'k1'],
    [{ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'k1' }, 'k1'],
  ])('%j -> %s', (headers, key) => {
    expect(presentedKey(headers)).toBe(key);
  });

  it.each([
    {},
    { authorization: 'Bearer' },
    { authorization: 'Bearer a b' },
    { authorization: 'Basic abc' },
    { 'x-api-key': '  ' },
  ])('%j presents no key', (headers) => {
    expect(presentedKey(headers)).toBeUndefined();
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('TRUST_PROXY', () => {
  const trust = (v?: string) => loadConfig({ TRUST_PROXY: v }).env.TRUST_PROXY;

  it('defaults to proxies on loopback', () => {
    expect(trust()).toEqual(['loopback']);
  });

  it('takes booleans, a hop count, presets, addresses and subnets', () => {
    expect(trust('false')).toBe(false);
    expect(trust('TRUE')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8,192.168.1.7 ,fd00::/8')).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
    ]);
  });

  it.each(['proxy.example.com', '10.0.0.0/40', '300.1.1.1', 'loopback,nonsense', ' '])(
    'refuses %j, naming the variable',
    (v) => {
      expect(() => trust(v)).toThrow(ConfigError);
      expect(() => trust(v)).toThrow(/TRUST_PROXY/);
    },
  );
});

describe('DATABASE_POOL_SIZE', () => {
  const size = (v?: string) => loadConfig({ DATABASE_POOL_SIZE: v }).env.DATABASE_POOL_SIZE;

  it("defaults to pg's 10 and takes a count", () => {
    expect(size()).toBe(10);
    expect(size('25')).toBe(25);
  });

  it.each(['0', '-1', '2.5', 'ten'])('refuses %j, naming the variable', (v) => {
    expect(() => size(v)).toThrow(/DATABASE_POOL_SIZE/);
  });
});

describe('TEMPORAL_NAMESPACE_SETUP and TEMPORAL_NAMESPACE_RETENTION', () => {
  const env = (over: Record<string, string>) => loadConfig(over).env;

  it('setup defaults to auto and takes true/false words', () => {
    expect(env({}).TEMPORAL_NAMESPACE_SETUP).toBe('auto');
    expect(env({ TEMPORAL_NAMESPACE_SETUP: 'TRUE' }).TEMPORAL_NAMESPACE_SETUP).toBe('true');
    expect(env({ TEMPORAL_NAMESPACE_SETUP: 'off' }).TEMPORAL_NAMESPACE_SETUP).toBe('false');
    expect(() => env({ TEMPORAL_NAMESPACE_SETUP: 'sometimes' })).toThrow(
      /TEMPORAL_NAMESPACE_SETUP/,
    );
  });

  it("retention defaults to docker-compose.yml's 720h and must be a duration", () => {
    const compose = fs.readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8');
    expect(env({}).TEMPORAL_NAMESPACE_RETENTION).toBe(
      /TEMPORAL_NAMESPACE_RETENTION:-(\w+)\}/.exec(compose)?.[1],
    );
    expect(env({}).TEMPORAL_NAMESPACE_RETENTION).toBe('720h');
    expect(env({ TEMPORAL_NAMESPACE_RETENTION: '30d' }).TEMPORAL_NAMESPACE_RETENTION).toBe('30d');
    expect(() => env({ TEMPORAL_NAMESPACE_RETENTION: 'a month' })).toThrow(
      /TEMPORAL_NAMESPACE_RETENTION/,
    );
  });
});

describe('TEMPORAL_TLS', () => {
  it('is unset by default (TLS then follows TEMPORAL_API_KEY) and empty counts as unset', () => {
    expect(loadConfig({}).env.TEMPORAL_TLS).toBeUndefined();
    expect(loadConfig({ TEMPORAL_TLS: '' }).env.TEMPORAL_TLS).toBeUndefined();
    expect(loadConfig({ TEMPORAL_TLS: 'true' }).env.TEMPORAL_TLS).toBe(true);
    expect(loadConfig({ TEMPORAL_TLS: 'off' }).env.TEMPORAL_TLS).toBe(false);
    expect(() => loadConfig({ TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS/);
  });
});

describe('PROVIDER_FALLBACKS', () => {
  const withFallback = (extra: object, env: Record<string, string> = {}) =>
    loadConfig({
      ...env,
      PROVIDER_FALLBACKS: JSON.stringify([
        { name: 'b', baseUrl: 'http://b.invalid/v1', apiKey: 'k', model: 'm', ...extra },
      ]),
    });

  it("gives a fallback its own maxTokens and temperature, else the primary's", () => {
    const own = withFallback({ maxTokens: 256, temperature: 0.2 }, { MAX_TOKENS: '900' });
    expect(own.providers.map((p) => [p.maxTokens, p.temperature])).toEqual([
      [900, 0.7],
      [256, 0.2],
    ]);
    const inherited = withFallback({}, { MAX_TOKENS: '900', TEMPERATURE: '0.3' });
    expect(inherited.providers[1]).toMatchObject({ maxTokens: 900, temperature: 0.3 });
  });

  it.each([
    [{ maxTokens: 0 }, /PROVIDER_FALLBACKS.*0\.maxTokens/],
    [{ maxTokens: 1.5 }, /PROVIDER_FALLBACKS.*0\.maxTokens/],
    [{ temperature: 3 }, /PROVIDER_FALLBACKS.*0\.temperature/],
    [{ temperature: '0.2' }, /PROVIDER_FALLBACKS.*0\.temperature/],
  ])('refuses %j, naming the entry and field (never the key)', (extra, message) => {
    expect(() => withFallback(extra)).toThrow(ConfigError);
    expect(() => withFallback(extra)).toThrow(message);
    expect(() => withFallback({ ...extra, apiKey: 'sk-secret-value' })).not.toThrow(/sk-secret/);
  });
});

describe('MAX_CHARACTER_LENGTH', () => {
  it("is at most the character columns' width (VARCHAR(100)): a longer name could never be stored", () => {
    expect(loadConfig({ MAX_CHARACTER_LENGTH: '100' }).env.MAX_CHARACTER_LENGTH).toBe(100);
    expect(() => loadConfig({ MAX_CHARACTER_LENGTH: '150' })).toThrow(/MAX_CHARACTER_LENGTH/);
  });
});

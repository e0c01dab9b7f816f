import { checksFor, mostRestrictive, type CheckOutcome } from './rate-limit-rules';

const settings = {
  RATE_LIMIT_GLOBAL_SERVER: 1000,
  RATE_LIMIT_PER_IP: 60,
  RATE_LIMIT_STORY_GENERATION: 15,
  RATE_LIMIT_LIST_ENDPOINTS: 30,
  RATE_LIMIT_HEALTH_STATUS: 100,
};

describe('checksFor', () => {
  it('applies global, per-IP, then the endpoint class, keyed by client', () => {
    expect(checksFor(settings, 'story_generation', '10.0.0.1')).toEqual([
      { type: 'global', key: 'global', limit: 1000 },
      { type: 'per_ip', key: 'per_ip:10.0.0.1', limit: 60 },
      { type: 'story_generation', key: 'story_generation:10.0.0.1', limit: 15 },
    ]);
  });
  it('has no class check for default endpoints', () => {
    expect(checksFor(settings, 'default', '::1').map((c) => c.type)).toEqual(['global', 'per_ip']);
  });
});

describe('mostRestrictive', () => {
  const o = (
    type: 'global' | 'per_ip' | 'list_endpoints',
    limit: number,
    hits: number,
  ): CheckOutcome => ({
    check: { type, key: type, limit },
    hits,
    resetInSeconds: 30,
  });
  it('picks the budget with the fewest requests left', () => {
    expect(
      mostRestrictive([o('global', 1000, 500), o('per_ip', 60, 10), o('list_endpoints', 30, 5)])
        .check.type,
    ).toBe('list_endpoints');
    expect(mostRestrictive([o('global', 1000, 999), o('per_ip', 60, 10)]).check.type).toBe(
      'global',
    );
  });
  it('breaks ties with the smaller limit', () => {
    expect(mostRestrictive([o('per_ip', 60, 60), o('list_endpoints', 30, 30)]).check.type).toBe(
      'list_endpoints',
    );
  });
});

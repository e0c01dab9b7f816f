import { createTestDatabase, type TestDatabase } from '../../test/support/test-db';
import { paceCostMs, reservePaceSlot } from './pacer';

/** The shared schedule on a real database: slots one cost apart, however many callers at once. */
describe('reservePaceSlot', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('gives concurrent callers slots one cost apart, and starts from now after an idle spell', async () => {
    const now = 1_000_000;
    const cost = paceCostMs({ requestsPerMinute: 600 }, 0);
    expect(cost).toBe(100);
    const slots = await Promise.all(
      Array.from({ length: 10 }, () => reservePaceSlot(db.prisma, db.url, 'sim/m', cost, now)),
    );
    expect(slots.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => now + i * 100),
    );
    expect(await reservePaceSlot(db.prisma, db.url, 'sim/m', cost, now + 60_000)).toBe(
      now + 60_000,
    );
    expect(await reservePaceSlot(db.prisma, db.url, 'other/m', cost, now)).toBe(now);
  });

  it('charges the larger of one request and the call tokens', () => {
    expect(paceCostMs({ requestsPerMinute: 600, tokensPerMinute: 60_000 }, 2_000)).toBe(2_000);
    expect(paceCostMs({ requestsPerMinute: 600, tokensPerMinute: 60_000 }, 10)).toBe(100);
    expect(paceCostMs({}, 10)).toBe(0);
  });
});

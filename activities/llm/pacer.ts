import type { ProviderConfig } from '../../common/config';
import type { PrismaClient } from '../../prisma/client';
import { databaseProvider } from '../../prisma/database-url';

/**
 * Keeps every worker process together under a provider's requests- and tokens-per-minute.
 *
 * Why the database and not Temporal's task-queue rate limit: the limit is on HTTP calls, and an
 * activity task is not one call (a LangGraph story makes up to 8, a 429 is retried inside its
 * activity, a failover calls a second provider), tokens need a budget anyway, and this changes
 * no workflow command and no task queue. One atomic upsert per call reserves its slot on a
 * shared schedule per provider/model (GCRA): each call pushes the schedule by the time it
 * "costs" at the limit, max(1 request, its tokens), so both limits hold over any window; the
 * caller sleeps until its slot. A worker that dies after reserving only wastes a slot.
 */
export interface PaceLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** Milliseconds of the schedule one call takes up; 0 = not paced. */
export function paceCostMs(limits: PaceLimits, tokens: number): number {
  const byRequests = limits.requestsPerMinute ? 60_000 / limits.requestsPerMinute : 0;
  const byTokens = limits.tokensPerMinute
    ? (Math.max(1, tokens) * 60_000) / limits.tokensPerMinute
    : 0;
  return Math.max(byRequests, byTokens);
}

export function paceKey(p: Pick<ProviderConfig, 'name' | 'model'>): string {
  return `${p.name}/${p.model}`;
}

/** Reserves the next slot of `key`; resolves to the epoch ms at which the call may go out. */
export async function reservePaceSlot(
  prisma: PrismaClient,
  databaseUrl: string,
  key: string,
  costMs: number,
  now = Date.now(),
): Promise<number> {
  const sql =
    databaseProvider(databaseUrl) === 'sqlite'
      ? `INSERT INTO provider_pace ("key", next_at_ms) VALUES (?, ?)
         ON CONFLICT ("key") DO UPDATE SET next_at_ms = MAX(provider_pace.next_at_ms, ?) + ? RETURNING next_at_ms`
      : `INSERT INTO provider_pace ("key", next_at_ms) VALUES ($1, $2)
         ON CONFLICT ("key") DO UPDATE SET next_at_ms = GREATEST(provider_pace.next_at_ms, $3) + $4 RETURNING next_at_ms`;
  const rows = await prisma.$queryRawUnsafe<Array<{ next_at_ms: number }>>(
    sql,
    key,
    now + costMs,
    now,
    costMs,
  );
  const next = Number(rows[0]?.next_at_ms);
  return Number.isFinite(next) ? next - costMs : now;
}

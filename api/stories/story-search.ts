import type { DatabaseProvider, PrismaClient, Story } from '../../prisma/client';

/**
 * Case-insensitive substring search on either character name, with `%` and `_` matched
 * literally. PostgreSQL does it in SQL (ILIKE folds non-ASCII letters too). SQLite's LIKE folds
 * ASCII only and Prisma offers no `mode: 'insensitive'` there, so SQLite narrows the candidates
 * in SQL (non-ASCII characters become `_`) and the exact, Unicode-aware match is made here.
 */
export interface CharacterSearchQuery {
  character: string;
  skip: number;
  limit: number;
}

const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Escapes LIKE wildcards (and the escape character) so the term matches literally. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern for SQLite that matches a superset of the case-insensitive matches. */
export function sqliteCandidatePattern(term: string): string {
  const body = Array.from(term)
    .map((c) => (c.charCodeAt(0) > 0x7f ? '_' : escapeLike(c)))
    .join('');
  return `%${body}%`;
}

export function nameMatches(term: string, ...names: string[]): boolean {
  const needle = term.toLowerCase();
  return names.some((n) => n.toLowerCase().includes(needle));
}

export async function searchStoriesByCharacter(
  prisma: PrismaClient,
  provider: DatabaseProvider,
  q: CharacterSearchQuery,
): Promise<Story[]> {
  if (provider === 'postgresql') {
    const cond = { contains: escapeLike(q.character), mode: 'insensitive' as const };
    return prisma.story.findMany({
      where: { OR: [{ primaryCharacter: cond }, { secondaryCharacter: cond }] },
      orderBy: NEWEST_FIRST,
      skip: q.skip,
      take: q.limit,
    });
  }
  const pattern = sqliteCandidatePattern(q.character);
  const candidates = await prisma.$queryRaw<{ id: number | bigint; p: string; s: string }[]>`
    SELECT id, primary_character AS p, secondary_character AS s FROM stories
    WHERE primary_character LIKE ${pattern} ESCAPE '\\' OR secondary_character LIKE ${pattern} ESCAPE '\\'
    ORDER BY created_at DESC, id DESC`;
  const ids = candidates
    .filter((r) => nameMatches(q.character, r.p, r.s))
    .slice(q.skip, q.skip + q.limit)
    .map((r) => Number(r.id));
  if (ids.length === 0) return [];
  const rows = await prisma.story.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  // A row deleted between the two queries is simply left out.
  return ids.map((id) => byId.get(id)).filter((r): r is Story => r !== undefined);
}

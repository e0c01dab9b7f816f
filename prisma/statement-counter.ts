/**
 * Counts the SQL statements a Prisma client sends, at its driver adapter: what the database
 * really receives (an upsert or a transaction is several statements, a raw query one). For the
 * benchmarks' per-story counts (bench/p0-counts.ts); off unless a caller asks for it.
 */

/** Called with each statement's SQL text before it is sent. */
export type StatementListener = (sql: string) => void;

interface SqlText {
  sql: string;
}
interface Queryable {
  queryRaw(q: SqlText): Promise<unknown>;
  executeRaw(q: SqlText): Promise<unknown>;
}
interface Connection extends Queryable {
  executeScript(script: string): Promise<void>;
  startTransaction(...args: never[]): Promise<Queryable>;
}

function watchQueries(q: Queryable, on: StatementListener): void {
  const queryRaw = q.queryRaw.bind(q);
  const executeRaw = q.executeRaw.bind(q);
  q.queryRaw = (x) => {
    on(x.sql);
    return queryRaw(x);
  };
  q.executeRaw = (x) => {
    on(x.sql);
    return executeRaw(x);
  };
}

/**
 * The adapter factory with every connection watched: plain queries, scripts, and the statements
 * inside transactions (their BEGIN counted as one statement; COMMIT/ROLLBACK come as statements).
 */
export function countingAdapter<F extends { connect(): Promise<Connection> }>(
  factory: F,
  on: StatementListener,
): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const c = await connect();
    watchQueries(c, on);
    const executeScript = c.executeScript.bind(c);
    c.executeScript = (script) => {
      on(script);
      return executeScript(script);
    };
    const startTransaction = c.startTransaction.bind(c);
    c.startTransaction = async (...args) => {
      on('BEGIN');
      const tx = await startTransaction(...args);
      watchQueries(tx, on);
      return tx;
    };
    return c;
  };
  return factory;
}

/** Statements by their first keyword (SELECT, INSERT, UPDATE, BEGIN, COMMIT, ...). */
export class StatementCounter {
  readonly byVerb = new Map<string, number>();
  total = 0;
  readonly listener: StatementListener = (sql) => {
    const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '?';
    this.byVerb.set(verb, (this.byVerb.get(verb) ?? 0) + 1);
    this.total++;
  };

  reset(): void {
    this.byVerb.clear();
    this.total = 0;
  }

  snapshot(): { total: number; byVerb: Record<string, number> } {
    return {
      total: this.total,
      byVerb: Object.fromEntries([...this.byVerb].sort(([a], [b]) => a.localeCompare(b))),
    };
  }
}

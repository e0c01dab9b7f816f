// Workaround for https://github.com/prisma/prisma/issues/27403 (prisma/orm#27403):
// @prisma/adapter-pg 6.x has no column-type mapping for PostgreSQL's `name` (oid 19) and
// `"char"` (oid 18) types, so the Prisma CLI's schema engine fails on catalog queries with
// "Column type 'name' could not be deserialized" (migrate deploy/status/diff against a PG URL).
// pg already parses both as strings; relabelling the result fields as `text` (oid 25) is
// enough. Only the CLI configs need this: the app's client never selects such columns, and
// prisma/migrate.ts talks to pg directly. Delete this file once the upstream fix ships.
import pg from 'pg';

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

type FieldsCarrier = { fields?: Array<{ dataTypeID: number }> };
type AnyQuery = (...args: unknown[]) => unknown;

function relabel(result: unknown): unknown {
  for (const r of Array.isArray(result) ? (result as unknown[]) : [result]) {
    for (const field of (r as FieldsCarrier | null)?.fields ?? []) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID)
        field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

function patchClient(client: pg.PoolClient): void {
  const target = client as unknown as { query: AnyQuery };
  const original: AnyQuery = target.query.bind(client);
  // pg-pool calls query with a callback; the adapter's transactions use the promise form.
  target.query = (...args: unknown[]): unknown => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (err: unknown, res: unknown) => void;
      args[args.length - 1] = (err: unknown, res: unknown) =>
        callback(err, err ? res : relabel(res));
      return original(...args);
    }
    const out = original(...args);
    return out instanceof Promise ? out.then(relabel) : out;
  };
}

/** A pg pool whose query results never expose `name`/`"char"` column types. */
export function createNameTypeSafePool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('connect', patchClient);
  return pool;
}

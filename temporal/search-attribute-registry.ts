/**
 * Server-side registration of Quillflow's search attributes through the OperatorService.
 *
 * Needed beside `start-dev --search-attribute`: with an existing `--db-filename`, start-dev only
 * registers attributes for namespaces it creates in that run, silently skipping new attributes
 * on existing namespaces (checked with CLI 1.5.1). Production clusters need the same call once.
 */
import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
// Exported by the SDK "for use in tests to register search attributes"; maps our type names to
// the proto enum.
import { encodeSearchAttributeIndexedValueType, type SearchAttributeKey } from './sdk-internals';
import { SEARCH_ATTRIBUTES } from './search-attributes';

type IndexedValueType = NonNullable<ReturnType<typeof encodeSearchAttributeIndexedValueType>>;

function encode(type: SearchAttributeType): IndexedValueType {
  const encoded = encodeSearchAttributeIndexedValueType(type);
  if (encoded === undefined) throw new Error(`unknown search attribute type ${type}`);
  return encoded;
}

const DECODE = new Map<number, SearchAttributeType>(
  Object.values(SearchAttributeType).map((t) => [encode(t) as number, t]),
);

/** Custom (non-system) attributes registered on `namespace`, by name. */
export async function listCustomSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<Record<string, SearchAttributeType | 'UNKNOWN'>> {
  const res = await connection.operatorService.listSearchAttributes({ namespace });
  const out: Record<string, SearchAttributeType | 'UNKNOWN'> = {};
  for (const [name, value] of Object.entries(res.customAttributes ?? {})) {
    out[name] = DECODE.get(value) ?? 'UNKNOWN';
  }
  return out;
}

/**
 * Registers missing attributes on `namespace` and waits until the server lists them.
 * Throws if an attribute exists with another type: that cannot be changed in place.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  keys: readonly SearchAttributeKey<SearchAttributeType>[] = SEARCH_ATTRIBUTES,
  log?: (m: string) => void,
): Promise<{ added: string[] }> {
  const existing = await listCustomSearchAttributes(connection, namespace);
  const conflicts = keys.filter(
    (k) => existing[k.name] !== undefined && existing[k.name] !== k.type,
  );
  if (conflicts.length) {
    throw new Error(
      `Search attributes on namespace "${namespace}" have the wrong type: ` +
        conflicts.map((k) => `${k.name} is ${existing[k.name]}, expected ${k.type}`).join('; ') +
        '. A dev server keeps them in its --db-filename: delete that file (losing its history) to recreate them.',
    );
  }
  const missing = keys.filter((k) => existing[k.name] === undefined);
  if (!missing.length) return { added: [] };

  log?.(
    `registering search attributes on "${namespace}": ${missing.map((k) => k.name).join(', ')}`,
  );
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, encode(k.type)])),
  });

  // Registration goes through a system workflow on some server versions; wait until visible.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const now = await listCustomSearchAttributes(connection, namespace);
    const stillMissing = missing.filter((k) => now[k.name] === undefined);
    if (!stillMissing.length) return { added: missing.map((k) => k.name) };
    if (Date.now() > deadline) {
      throw new Error(
        `Search attributes not visible after registration: ${stillMissing.map((k) => k.name).join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

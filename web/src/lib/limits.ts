import schemas from 'virtual:request-schemas';

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v)) : {};

/**
 * A bound of a request body field, as the API's OpenAPI document states it (from its zod
 * schemas): the forms warn before sending what the server would refuse. A bound the document
 * lost is a build mistake, so it fails loudly instead of guessing a number.
 */
function bound(
  operation: string,
  field: readonly string[],
  key: 'maximum' | 'maxItems' | 'maxLength',
): number {
  let node = record(schemas[operation]);
  for (const name of field) node = record(record(node.properties)[name]);
  const value = node[key];
  if (typeof value !== 'number') {
    throw new Error(`The OpenAPI document has no ${key} for ${operation} ${field.join('.')}`);
  }
  return value;
}

export const LIMITS = {
  /** Items of one batch (pairs x frameworks); a generator's count has the same bound. */
  batchItems: bound('POST /api/batches', ['generate', 'count'], 'maximum'),
  batchNames: bound('POST /api/batches', ['generate', 'primaryNames'], 'maxItems'),
  batchConcurrency: bound('POST /api/batches', ['concurrency'], 'maximum'),
  batchLabel: bound('POST /api/batches', ['label'], 'maxLength'),
  characterName: bound('POST /api/stories', ['primaryCharacter'], 'maxLength'),
  chatMessage: bound('POST /api/chat/{framework}', ['message'], 'maxLength'),
  contextPrompt: bound('POST /api/context/execute', ['user_prompt'], 'maxLength'),
} as const;

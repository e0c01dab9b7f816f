import schemas from 'virtual:request-schemas';

/**
 * The server's limits on what the forms send, as the API's OpenAPI document states them (made
 * from its zod schemas): the forms warn before sending what the server would refuse. A bound the
 * document lost is a build mistake, so it fails loudly instead of guessing a number.
 */

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v)) : {};

/** The JSON schema of one field of an operation's request body (`['generate', 'count']`). */
function fieldSchema(operation: string, field: readonly string[]): Record<string, unknown> {
  let node = record(schemas[operation]);
  for (const name of field) node = record(record(node.properties)[name]);
  return node;
}

function missing(what: string, operation: string, field: readonly string[]): Error {
  return new Error(`The OpenAPI document has no ${what} for ${operation} ${field.join('.')}`);
}

function bound(
  operation: string,
  field: readonly string[],
  key: 'maximum' | 'maxItems' | 'maxLength',
): number {
  const value = fieldSchema(operation, field)[key];
  if (typeof value !== 'number') throw missing(key, operation, field);
  return value;
}

function pattern(operation: string, field: readonly string[]): RegExp {
  const value = fieldSchema(operation, field).pattern;
  if (typeof value !== 'string') throw missing('pattern', operation, field);
  return new RegExp(value);
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
  scheduleNote: bound('POST /api/schedules', ['note'], 'maxLength'),
} as const;

export const PATTERNS = {
  scheduleId: pattern('POST /api/schedules', ['scheduleId']),
  cron: pattern('POST /api/schedules', ['cron']),
} as const;

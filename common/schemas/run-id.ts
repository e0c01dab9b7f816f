import { z } from 'zod';

/**
 * A Temporal run ID: a UUID as the server writes it (lowercase hex, 8-4-4-4-12). Temporal parses
 * run IDs as UUIDs and answers INVALID_ARGUMENT for anything else, so the shape is checked here,
 * field named, before any call.
 */
export const RUN_ID_REGEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const runIdSchema = z.string({ error: 'runId must be a string' }).regex(RUN_ID_REGEX, {
  error: 'runId must be a run ID: a lowercase UUID, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e',
});

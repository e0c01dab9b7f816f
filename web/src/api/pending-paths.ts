/**
 * Operations the web app calls that the OpenAPI document does not describe yet (audit: being
 * built in api/audit). Same shape as openapi-typescript's output; each
 * entry is dropped automatically (see `ApiPaths`) as soon as the generated schema has the path,
 * so the real document always wins. Delete entries once `npm run web:api-types` covers them.
 */
import type { paths } from './schema';

type Json<B> = { content: { 'application/json': B } };
type Op<P = never, Q = never, B = never> = {
  parameters: { query?: Q; header?: never; cookie?: never } & ([P] extends [never]
    ? { path?: never }
    : { path: P });
  requestBody?: [B] extends [never] ? never : Json<B>;
  responses: { 200: { headers: Record<string, unknown>; content?: never } };
};
type Item<Ops> = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
} & Ops;

interface PendingPaths {
  '/api/audit': Item<{
    get: Op<
      never,
      { workflowId?: string; framework?: string; outcome?: string; skip?: number; limit?: number }
    >;
  }>;
}

/** The generated paths, plus the pending ones the document does not have yet. */
export type ApiPaths = paths & Omit<PendingPaths, keyof paths>;

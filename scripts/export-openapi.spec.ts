/**
 * The OpenAPI document the web client is generated from: (a) web/src/api/openapi.json is the
 * document the API builds now (else: run `npm run web:api-types`), (b) it describes every
 * response: each 2xx of each operation has content with a schema (JSON routes a component of
 * common/schemas/*-responses.ts), errors have the envelope, and every $ref resolves, and (c) it
 * declares every query parameter: each handler that validates its query with
 * `ZodPipe(schema, 'query')` declares that schema with `ApiZodQuery(schema)`, and its operation
 * lists exactly the schema's fields.
 * No servers: the document is built in-process like scripts/export-openapi.ts does.
 */
import { type INestApplication, type Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOpenApiDocument } from '../api/bootstrap';
import { declaredQuery, queryParameters, type ZodQuerySchema } from '../api/http/openapi';
import { ZodPipe } from '../api/http/zod.pipe';
import { OPENAPI_JSON, openApiJsonText, withExportApp } from './openapi-document';

const ROOT = path.resolve(__dirname, '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

interface Operation {
  key: string;
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}

function operationsOf(doc: OpenAPIObject): Operation[] {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      key: `${m.toUpperCase()} ${p}`,
      responses: item[m]!.responses as Operation['responses'],
    })),
  );
}

/** Which operations and components differ between two documents (for a readable failure). */
function differences(fresh: OpenAPIObject, stored: OpenAPIObject): string[] {
  const out: string[] = [];
  const ops = (d: OpenAPIObject) =>
    new Map(
      Object.entries(d.paths ?? {}).flatMap(([p, item]) =>
        METHODS.filter((m) => item[m]).map(
          (m) => [`${m.toUpperCase()} ${p}`, JSON.stringify(item[m])] as const,
        ),
      ),
    );
  const compare = (what: string, a: Map<string, string>, b: Map<string, string>) => {
    for (const [k, v] of a)
      if (!b.has(k)) out.push(`${what} ${k}: missing from the file`);
      else if (b.get(k) !== v) out.push(`${what} ${k}: changed`);
    for (const k of b.keys()) if (!a.has(k)) out.push(`${what} ${k}: no longer in the API`);
  };
  compare('operation', ops(fresh), ops(stored));
  const comps = (d: OpenAPIObject) =>
    new Map(
      Object.entries(d.components?.schemas ?? {}).map(([k, v]) => [k, JSON.stringify(v)] as const),
    );
  compare('component', comps(fresh), comps(stored));
  return out;
}

function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

/** @nestjs/swagger's metadata keys of ApiExcludeEndpoint / ApiExcludeController (not exported). */
const EXCLUDE_ENDPOINT = 'swagger/apiExcludeEndpoint';
const EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';

/** A route handler that reads its query string, and how. */
interface QueryHandler {
  /** `Controller.method`, the start of its operationId. */
  name: string;
  /** Schemas of its `@Query(new ZodPipe(schema, 'query'))` parameters. */
  zodSchemas: unknown[];
  /** `@Query()` parameters without a query ZodPipe (a whole or single raw value). */
  unvalidated: number;
  declared: ZodQuerySchema | undefined;
  excluded: boolean;
}

/** Every handler of every controller in the app that has a @Query() parameter or ApiZodQuery. */
function queryHandlers(app: INestApplication): QueryHandler[] {
  const out: QueryHandler[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const proto = controller.prototype as Record<string, unknown>;
      for (const method of Object.getOwnPropertyNames(proto)) {
        const handler = proto[method];
        if (method === 'constructor' || typeof handler !== 'function') continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
          string,
          { pipes?: unknown[] }
        >;
        const queries = Object.entries(args).filter(
          ([key]) => key.split(':')[0] === String(RouteParamtypes.QUERY),
        );
        const zodSchemas = queries.flatMap(([, a]) =>
          (a.pipes ?? [])
            .filter(
              (p): p is ZodPipe<ZodQuerySchema> => p instanceof ZodPipe && p.where === 'query',
            )
            .map((p) => p.schema),
        );
        const unvalidated = queries.filter(
          ([, a]) => !(a.pipes ?? []).some((p) => p instanceof ZodPipe && p.where === 'query'),
        ).length;
        const declared = declaredQuery(handler);
        if (queries.length === 0 && !declared) continue;
        const excluded =
          Boolean(Reflect.getMetadata(EXCLUDE_ENDPOINT, handler)) ||
          Boolean(Reflect.getMetadata(EXCLUDE_CONTROLLER, controller));
        out.push({
          name: `${controller.name}.${method}`,
          zodSchemas,
          unvalidated,
          declared,
          excluded,
        });
      }
    }
  }
  return out;
}

interface QueryParam {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}

/** The query parameters of each operation, by operationId. */
function queryParamsByOperation(
  doc: OpenAPIObject,
): Map<string, { key: string; params: QueryParam[] }> {
  const out = new Map<string, { key: string; params: QueryParam[] }>();
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op?.operationId) continue;
      const params = ((op.parameters ?? []) as QueryParam[]).filter((x) => x.in === 'query');
      out.set(op.operationId, { key: `${m.toUpperCase()} ${p}`, params });
    }
  }
  return out;
}

describe('OpenAPI document (web/src/api/openapi.json)', () => {
  let doc: OpenAPIObject;
  let handlers: QueryHandler[];

  beforeAll(async () => {
    ({ doc, handlers } = await withExportApp((app, config) => ({
      doc: buildOpenApiDocument(app, config),
      handlers: queryHandlers(app),
    })));
  });

  it('is up to date with the API', () => {
    const file = path.join(ROOT, OPENAPI_JSON);
    const stored = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (stored === openApiJsonText(doc)) return;
    let what: string[] = ['the file is missing or not JSON'];
    try {
      what = differences(doc, JSON.parse(stored) as OpenAPIObject);
    } catch {
      /* keep the message above */
    }
    throw new Error(
      `web/src/api/openapi.json is stale: run \`npm run web:api-types\` (it rewrites openapi.json and schema.d.ts), then check the web app (\`npm run web:typecheck\`).\n` +
        `Differences${what.length > 20 ? ` (first 20 of ${what.length})` : ''}:\n  ${what.slice(0, 20).join('\n  ') || 'formatting only'}`,
    );
  });

  it('describes the content of every 2xx response of every operation', () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const op of ops) {
      const success = Object.entries(op.responses).filter(([s]) => /^2\d\d$/.test(s));
      if (success.length === 0) problems.push(`${op.key}: no 2xx response`);
      for (const [status, r] of success) {
        if (status === '204') {
          if (r.content) problems.push(`${op.key} 204: No Content must not have content`);
          continue;
        }
        const media = Object.entries(r.content ?? {});
        if (media.length === 0)
          problems.push(
            `${op.key} ${status}: no content (declare it with ApiZodResponse or ApiMediaResponse, api/http/openapi.ts)`,
          );
        for (const [type, m] of media) {
          if (!m.schema) problems.push(`${op.key} ${status} ${type}: no schema`);
          else if (type === 'application/json' && typeof m.schema.$ref !== 'string') {
            problems.push(
              `${op.key} ${status}: the JSON schema is not a named component of common/schemas`,
            );
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every operation the error envelope for 4xx and 5xx', () => {
    const missing = operationsOf(doc)
      .filter((op) =>
        ['4XX', '5XX'].some((s) => !op.responses[s]?.content?.['application/json']?.schema),
      )
      .map((op) => op.key);
    expect(missing).toEqual([]);
    expect(doc.components?.schemas?.ErrorBody).toBeDefined();
  });

  it('resolves every $ref to a component', () => {
    const schemas = doc.components?.schemas ?? {};
    const dangling = [...new Set(refsOf(doc))].filter(
      (r) =>
        !r.startsWith('#/components/schemas/') ||
        !(r.slice('#/components/schemas/'.length) in schemas),
    );
    expect(dangling).toEqual([]);
  });

  it('declares the query schema of every route that validates its query (ApiZodQuery = ZodPipe)', () => {
    // The routes known to take a query (a sanity check that the discovery below finds them).
    const names = handlers.filter((h) => h.zodSchemas.length > 0).map((h) => h.name);
    for (const known of [
      'RunsController.list',
      'AuditController.list',
      'BatchesController.get',
      'CostController.usage',
      'LogsController.entries',
    ]) {
      expect(names).toContain(known);
    }
    const problems: string[] = [];
    for (const h of handlers) {
      if (h.unvalidated > 0)
        problems.push(`${h.name}: reads its query without ZodPipe(schema, 'query')`);
      if (h.zodSchemas.length > 1) problems.push(`${h.name}: more than one query ZodPipe`);
      if (h.excluded) continue;
      if (!h.declared)
        problems.push(
          `${h.name}: validates its query but does not declare it: add @ApiZodQuery(schema)`,
        );
      else if (h.zodSchemas.length === 1 && h.declared !== h.zodSchemas[0]) {
        problems.push(`${h.name}: ApiZodQuery declares another schema than its ZodPipe validates`);
      } else if (h.zodSchemas.length === 0)
        problems.push(`${h.name}: declares a query (ApiZodQuery) it does not validate`);
    }
    expect(problems).toEqual([]);
  });

  it("lists exactly the declared schema's fields as each operation's query parameters", () => {
    const ops = queryParamsByOperation(doc);
    const problems: string[] = [];
    const covered = new Set<string>();
    for (const h of handlers.filter((x) => !x.excluded && x.declared)) {
      const base = h.name.replace('.', '_');
      const matching = [...ops.entries()].filter(
        ([opId]) => opId === base || opId.startsWith(`${base}[`),
      );
      if (matching.length === 0) problems.push(`${h.name}: no operation in the document`);
      const expected = queryParameters(h.declared!);
      const want = (p: { required?: boolean; description?: string; schema?: unknown }) =>
        JSON.stringify({
          required: p.required ?? false,
          description: p.description,
          schema: p.schema,
        });
      for (const [opId, { key, params }] of matching) {
        covered.add(opId);
        const names = params.map((x) => x.name);
        if (names.join() !== expected.map((x) => x.name).join()) {
          problems.push(
            `${key}: query parameters ${names.join(', ')}; the schema has ${expected.map((x) => x.name).join(', ')}`,
          );
        }
        for (const e of expected) {
          const actual = params.find((x) => x.name === e.name);
          if (actual && want(actual) !== want(e))
            problems.push(`${key} ?${e.name}: ${want(actual)} is not ${want(e)}`);
        }
      }
    }
    // No hand-written query parameters: every operation that has some declares them with ApiZodQuery.
    for (const [opId, { key, params }] of ops) {
      if (params.length > 0 && !covered.has(opId))
        problems.push(
          `${key}: query parameters not declared with ApiZodQuery (${params.map((x) => x.name).join(', ')})`,
        );
    }
    expect(problems).toEqual([]);
    // The parameters the web client relies on.
    const runs = ops.get('RunsController_list')!.params;
    expect(runs.find((x) => x.name === 'pageSize')).toMatchObject({
      required: false,
      schema: { type: 'integer', default: 50, minimum: 1, maximum: 1000 },
    });
    expect(
      ops.get('StoriesController_search')!.params.find((x) => x.name === 'character'),
    ).toMatchObject({ required: true });
  });
});

/**
 * The OpenAPI document the web client is generated from: (a) web/src/api/openapi.json is the
 * document the API builds now (else: run `npm run web:api-types`), and (b) it describes every
 * response: each 2xx of each operation has content with a schema (JSON routes a component of
 * common/schemas/*-responses.ts), errors have the envelope, and every $ref resolves.
 * No servers: the document is built in-process like scripts/export-openapi.ts does.
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportedOpenApiDocument, OPENAPI_JSON, openApiJsonText } from './openapi-document';

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
        METHODS.filter((m) => item[m]).map((m) => [`${m.toUpperCase()} ${p}`, JSON.stringify(item[m])] as const),
      ),
    );
  const compare = (what: string, a: Map<string, string>, b: Map<string, string>) => {
    for (const [k, v] of a) if (!b.has(k)) out.push(`${what} ${k}: missing from the file`);
    else if (b.get(k) !== v) out.push(`${what} ${k}: changed`);
    for (const k of b.keys()) if (!a.has(k)) out.push(`${what} ${k}: no longer in the API`);
  };
  compare('operation', ops(fresh), ops(stored));
  const comps = (d: OpenAPIObject) =>
    new Map(Object.entries(d.components?.schemas ?? {}).map(([k, v]) => [k, JSON.stringify(v)] as const));
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

describe('OpenAPI document (web/src/api/openapi.json)', () => {
  let doc: OpenAPIObject;

  beforeAll(async () => {
    doc = await exportedOpenApiDocument();
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
        if (media.length === 0) problems.push(`${op.key} ${status}: no content (declare it with ApiZodResponse or ApiMediaResponse, api/common/openapi.ts)`);
        for (const [type, m] of media) {
          if (!m.schema) problems.push(`${op.key} ${status} ${type}: no schema`);
          else if (type === 'application/json' && typeof m.schema.$ref !== 'string') {
            problems.push(`${op.key} ${status}: the JSON schema is not a named component of common/schemas`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every operation the error envelope for 4xx and 5xx', () => {
    const missing = operationsOf(doc)
      .filter((op) => ['4XX', '5XX'].some((s) => !op.responses[s]?.content?.['application/json']?.schema))
      .map((op) => op.key);
    expect(missing).toEqual([]);
    expect(doc.components?.schemas?.ErrorBody).toBeDefined();
  });

  it('resolves every $ref to a component', () => {
    const schemas = doc.components?.schemas ?? {};
    const dangling = [...new Set(refsOf(doc))].filter(
      (r) => !r.startsWith('#/components/schemas/') || !(r.slice('#/components/schemas/'.length) in schemas),
    );
    expect(dangling).toEqual([]);
  });
});

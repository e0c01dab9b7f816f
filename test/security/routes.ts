/**
 * Every HTTP route of the running app, read from its own OpenAPI document, plus the routes the
 * document leaves out (pages, the log viewer, MCP): the security suites iterate these, so a
 * route added later is covered without editing them.
 */
export interface RouteOp {
  method: string;
  /** OpenAPI template, e.g. /api/stories/{id} */
  template: string;
  pathParams: string[];
  queryParams: string[];
  body?: 'json' | 'multipart';
  inDocument: boolean;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'];

/** Routes the OpenAPI document does not list (excluded pages and MCP). */
export const UNDOCUMENTED_ROUTES: RouteOp[] = [
  { method: 'GET', template: '/', pathParams: [], queryParams: [], inDocument: false },
  { method: 'GET', template: '/favicon.ico', pathParams: [], queryParams: [], inDocument: false },
  { method: 'GET', template: '/logs', pathParams: [], queryParams: [], inDocument: false },
  { method: 'GET', template: '/api/redoc', pathParams: [], queryParams: [], inDocument: false },
  {
    method: 'POST',
    template: '/mcp',
    pathParams: [],
    queryParams: [],
    body: 'json',
    inDocument: false,
  },
  { method: 'GET', template: '/mcp', pathParams: [], queryParams: [], inDocument: false },
  { method: 'DELETE', template: '/mcp', pathParams: [], queryParams: [], inDocument: false },
];

export async function documentedRoutes(
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<RouteOp[]> {
  const res = await fetch(`${baseUrl}/openapi.json`, { headers });
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
  const out: RouteOp[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      if (!METHODS.includes(m)) continue;
      const params = op.parameters ?? [];
      const content = Object.keys(op.requestBody?.content ?? {});
      out.push({
        method: m.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        body: content.includes('multipart/form-data')
          ? 'multipart'
          : content.length > 0
            ? 'json'
            : undefined,
        inDocument: true,
      });
    }
  }
  return out;
}

export async function allRoutes(
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<RouteOp[]> {
  return [...(await documentedRoutes(baseUrl, headers)), ...UNDOCUMENTED_ROUTES];
}

/** A well-formed but unknown value for each path parameter (no side effects anywhere). */
export const SAMPLE_PARAMS: Record<string, string> = {
  id: '424242',
  workflowId: 'story-00000000-0000-4000-8000-000000000000',
  framework: 'langchain',
  path: 'app.log',
};

export function fill(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(values[name] ?? SAMPLE_PARAMS[name] ?? 'x'),
  );
}

export const label = (r: RouteOp) => `${r.method} ${r.template}`;

/**
 * What docs/ARCHITECTURE.md must describe, read from the code itself (no servers): the HTTP
 * routes the API really registers and the ones in its OpenAPI document, Prisma models, workflow
 * types and their messages, activity types, MCP tools/resources/prompts, configuration
 * variables, docker compose services. Used by test/architecture/architecture.spec.ts.
 */
import 'reflect-metadata';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client, Connection } from '@temporalio/client';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApiApp, buildOpenApiDocument } from '../../api/bootstrap';
import { WEB_APP_PATH } from '../../api/web-app';
import { envSchema, loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { createMcpServer } from '../../mcp/server';
import type { McpServices } from '../../mcp/services';
import { createPrismaClient } from '../../prisma/client';
import { clusterEnvSchema } from '../../temporal/cluster/settings';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface RouteFact {
  method: string;
  /** OpenAPI style: `/api/stories/{id}`. */
  path: string;
  inOpenApi: boolean;
  /** Registered outside Nest controllers (Swagger UI, the web app). */
  outsideNest: boolean;
}

const silentLogger = () =>
  createLogger('architecture-doc', {
    level: 'silent',
    pretty: false,
    filePath: '',
    rotationHours: 1,
    retentionDays: 1,
  });

/** `:id` and `*path` (Express) as OpenAPI's `{id}`, `{path}`. */
export function openApiPath(p: string): string {
  return p
    .replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    .replace(/\*([A-Za-z0-9_]+)/g, '{$1}')
    .replace(/\{\*([A-Za-z0-9_]+)\}/g, '{$1}');
}

/**
 * Swagger UI's own files under /api/docs/ and the catch-all handlers Nest adds: served, but not
 * routes anyone calls by name.
 */
function isPlumbing(p: string): boolean {
  return /^\/api\/docs\//.test(p) || p === '/{path}' || p === '/*' || p === '*';
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * Every route of the API process: builds the real app (createApiApp) from stand-ins that are
 * never called (a Temporal client that never dials, a Prisma client for a file never opened),
 * initialises it without listening, and reads Express's router; the OpenAPI document is built
 * with the same function the server uses.
 */
export async function collectRoutes(): Promise<RouteFact[]> {
  const config = loadConfig({ LOG_FILE_PATH: '' });
  const prisma = createPrismaClient(
    `file:${path.join(os.tmpdir(), 'quillflow-architecture-doc.db')}`,
  );
  const temporal = new Client({
    connection: Connection.lazy({ address: config.env.TEMPORAL_ADDRESS }),
  });
  const app = await createApiApp({ config, logger: silentLogger(), prisma, temporal });
  try {
    await app.init();
    const express = app.getHttpAdapter().getInstance() as {
      router?: { stack: Layer[] };
      _router?: { stack: Layer[] };
    };
    const stack = (express.router ?? express._router)?.stack ?? [];
    const doc = buildOpenApiDocument(app, config);
    const openApi = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const m of Object.keys(item)) {
        if (['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(m))
          openApi.add(`${m.toUpperCase()} ${p}`);
      }
    }
    const seen = new Map<string, RouteFact>();
    const add = (method: string, p: string, outsideNest: boolean) => {
      const key = `${method} ${p}`;
      if (!seen.has(key))
        seen.set(key, { method, path: p, inOpenApi: openApi.has(key), outsideNest });
    };
    const swaggerPaths = new Set([
      '/api/docs',
      '/openapi.json',
      '/api/docs-json',
      '/api/docs-yaml',
    ]);
    for (const layer of stack) {
      if (!layer.route) continue;
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
      if (methods.length > 10) continue; // app.all(): Nest's catch-all handlers
      for (const raw of [layer.route.path].flat()) {
        const p = openApiPath(raw);
        if (isPlumbing(p)) continue;
        for (const m of methods) add(m.toUpperCase(), p, swaggerPaths.has(p));
      }
    }
    // In the OpenAPI document but not found on the router: listed too, so the test names them.
    for (const key of openApi) {
      const [method, p] = key.split(' ') as [string, string];
      add(method, p, false);
    }
    // The built web app is static middleware (mounted only when web/dist exists), not a route.
    add('GET', `${WEB_APP_PATH}/`, true);
    return [...seen.values()];
  } finally {
    await app.close();
    await prisma.$disconnect().catch(() => undefined);
  }
}

export interface EnvFact {
  name: string;
  /** The default as the documentation shows it: `8000`, `true`, `a,b`, or `—` when unset. */
  defaultText: string;
}

export function formatDefault(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => formatDefault(x)).join(',') : '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'object' && Object.keys(v).length ? JSON.stringify(v) : '—';
}

export function collectEnv(): EnvFact[] {
  const defaults = envSchema.parse({}) as Record<string, unknown>;
  return Object.keys(envSchema.shape).map((name) => ({
    name,
    defaultText: formatDefault(defaults[name]),
  }));
}

/**
 * Environment variables read directly (`process.env.NAME`) outside the config schema, in the
 * shipped code (not test/, specs, web/): launcher, tooling and benchmark knobs.
 */
export function collectOtherEnv(): { name: string; files: string[] }[] {
  const schema = new Set(Object.keys(envSchema.shape));
  const ignore = new Set([
    'PATH',
    'HOME',
    'USER',
    'CI',
    'NODE_ENV',
    'SHELL',
    'TMPDIR',
    'JEST_WORKER_ID',
  ]);
  const dirs = [
    'api',
    'activities',
    'workers',
    'workflows',
    'mcp',
    'temporal',
    'common',
    'prisma',
    'scripts',
    'simulator',
    'bench',
  ];
  const found = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === 'generated' || e.name === 'node_modules') continue;
        walk(p);
      } else if (/\.(ts|js)$/.test(e.name) && !/\.(spec|d)\.ts$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        // process.env.NAME, process.env['NAME'], and helpers such as intEnv('NAME', 8100).
        const reads =
          /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])|\b\w*[Ee]nv\w*\(\s*['"]([A-Z][A-Z0-9_]{2,})['"]/g;
        for (const m of text.matchAll(reads)) {
          const name = m[1] ?? m[2] ?? m[3];
          if (schema.has(name) || ignore.has(name)) continue;
          if (!found.has(name)) found.set(name, new Set());
          found.get(name)!.add(path.relative(ROOT, p));
        }
      }
    }
  };
  for (const d of dirs) if (fs.existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  // Tools with a zod schema of their own read their variables through it, not process.env.NAME.
  for (const [file, shape] of [['temporal/cluster/settings.ts', clusterEnvSchema.shape]] as const) {
    for (const name of Object.keys(shape)) {
      if (schema.has(name)) continue;
      if (!found.has(name)) found.set(name, new Set());
      found.get(name)!.add(file);
    }
  }
  return [...found.entries()]
    .map(([name, files]) => ({ name, files: [...files].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface WorkflowFacts {
  workflows: string[];
  /** Queries, updates and signals: `kind name` per definition exported by a workflow module. */
  messages: { kind: string; name: string; exportName: string; file: string }[];
}

export function collectWorkflows(): WorkflowFacts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const index = require('../../workflows') as Record<string, unknown>;
  const workflows = Object.entries(index)
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k);
  const messages: WorkflowFacts['messages'] = [];
  const dir = path.join(ROOT, 'workflows');
  for (const f of fs.readdirSync(dir).sort()) {
    if (!/\.ts$/.test(f) || /\.spec\.ts$/.test(f) || /^lint-probe/.test(f) || f === 'index.ts')
      continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, f)) as Record<string, unknown>;
    for (const [exportName, v] of Object.entries(mod)) {
      const d = v as { type?: unknown; name?: unknown } | null;
      if (
        d &&
        typeof d === 'object' &&
        ['query', 'update', 'signal'].includes(String(d.type)) &&
        typeof d.name === 'string'
      ) {
        messages.push({ kind: String(d.type), name: d.name, exportName, file: `workflows/${f}` });
      }
    }
  }
  return { workflows, messages };
}

/**
 * Activity types the worker registers: the keys of the object `createActivities` returns, read
 * from the source with the TypeScript parser (following `...factory(deps)` spreads through the
 * imports), so LangChain and the other activity dependencies are not loaded just to list names.
 * Anything it cannot follow is an error naming the spot, never a silent gap.
 */
export function collectActivities(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const parsed = new Map<string, import('typescript').SourceFile>();
  const source = (file: string) => {
    if (!parsed.has(file))
      parsed.set(
        file,
        ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
      );
    return parsed.get(file)!;
  };
  const resolve = (from: string, spec: string) =>
    [`${spec}.ts`, path.join(spec, 'index.ts')]
      .map((c) => path.resolve(path.dirname(from), c))
      .find((c) => fs.existsSync(c));
  const where = (sf: import('typescript').SourceFile, node: import('typescript').Node) =>
    `${path.relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;

  const keysOfFactory = (file: string, name: string): string[] => {
    const sf = source(file);
    const fn = sf.statements.find(
      (st): st is import('typescript').FunctionDeclaration =>
        ts.isFunctionDeclaration(st) && st.name?.text === name,
    );
    if (!fn?.body) {
      // Imported from elsewhere: follow the import.
      for (const st of sf.statements) {
        if (
          !ts.isImportDeclaration(st) ||
          !st.importClause?.namedBindings ||
          !ts.isNamedImports(st.importClause.namedBindings)
        )
          continue;
        const el = st.importClause.namedBindings.elements.find((e) => e.name.text === name);
        if (el) {
          const target = resolve(
            file,
            (st.moduleSpecifier as import('typescript').StringLiteral).text,
          );
          if (!target)
            throw new Error(`cannot resolve ${name} imported in ${path.relative(ROOT, file)}`);
          return keysOfFactory(target, el.propertyName?.text ?? name);
        }
      }
      throw new Error(`no function ${name} in ${path.relative(ROOT, file)}`);
    }
    const ret = [...fn.body.statements].reverse().find(ts.isReturnStatement);
    let expr = ret?.expression;
    while (expr && ts.isParenthesizedExpression(expr)) expr = expr.expression;
    if (!expr || !ts.isObjectLiteralExpression(expr))
      throw new Error(`${where(sf, fn)}: ${name} does not end by returning an object literal`);
    return keysOfObject(file, sf, expr);
  };
  const keysOfObject = (
    file: string,
    sf: import('typescript').SourceFile,
    expr: import('typescript').ObjectLiteralExpression,
  ): string[] => {
    const keys: string[] = [];
    for (const p of expr.properties) {
      if (ts.isSpreadAssignment(p)) {
        const call = p.expression;
        if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression))
          throw new Error(`${where(sf, p)}: cannot follow this spread`);
        // A wrapper such as pausedWhileUnavailable(client, { ... }): the keys of its object.
        const wrapped = call.arguments.at(-1);
        keys.push(
          ...(wrapped && ts.isObjectLiteralExpression(wrapped)
            ? keysOfObject(file, sf, wrapped)
            : keysOfFactory(file, call.expression.text)),
        );
      } else if (
        (ts.isMethodDeclaration(p) ||
          ts.isPropertyAssignment(p) ||
          ts.isShorthandPropertyAssignment(p)) &&
        p.name &&
        ts.isIdentifier(p.name)
      ) {
        keys.push(p.name.text);
      } else {
        throw new Error(`${where(sf, p)}: cannot read this property's name`);
      }
    }
    return keys;
  };
  return keysOfFactory(path.join(ROOT, 'activities', 'index.ts'), 'createActivities').sort();
}

export interface McpFacts {
  tools: string[];
  prompts: string[];
  /** Fixed resources' URIs and templates' URI templates. */
  resources: string[];
}

/** The MCP server with every optional service present, listed through a real MCP client. */
export async function collectMcp(): Promise<McpFacts> {
  const stub = new Proxy({}, { get: () => () => Promise.reject(new Error('not called')) });
  const services = {
    config: loadConfig({ LOG_FILE_PATH: '' }),
    prisma: stub,
    temporal: stub,
    stories: stub,
    runs: stub,
    batches: stub,
    chat: stub,
    contextExecutions: stub,
    contextFiles: stub,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    maxWaitMs: 1000,
  } as unknown as McpServices;
  const server = createMcpServer(services);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new McpClient({ name: 'architecture-doc', version: '1' });
  await Promise.all([server.connect(a), client.connect(b)]);
  try {
    const [tools, prompts, resources, templates] = await Promise.all([
      client.listTools(),
      client.listPrompts(),
      client.listResources(),
      client.listResourceTemplates(),
    ]);
    return {
      tools: tools.tools.map((t) => t.name).sort(),
      prompts: prompts.prompts.map((p) => p.name).sort(),
      resources: [
        ...resources.resources.map((r) => r.uri),
        ...templates.resourceTemplates.map((t) => t.uriTemplate),
      ].sort(),
    };
  } finally {
    await Promise.all([client.close(), server.close()]);
  }
}

function composeFile(): string | undefined {
  return ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'].find((f) =>
    fs.existsSync(path.join(ROOT, f)),
  );
}

/** Services of docker-compose.yml (or compose.yaml), or null when the file does not exist. */
export function collectComposeServices(): { file: string; services: string[] } | null {
  const file = composeFile();
  if (!file) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as {
    services?: Record<string, unknown>;
  };
  return { file, services: Object.keys(doc.services ?? {}).sort() };
}

/**
 * Variables the compose file interpolates (`${NAME}`, `${NAME:-default}`, `${NAME:?error}`; `$$`
 * escapes are not variables), with their default: the text after `:-`/`-`, `required` for `?`
 * forms, `—` for none. Null when there is no compose file.
 */
export function collectComposeVariables(): { name: string; defaultText: string }[] | null {
  const file = composeFile();
  if (!file) return null;
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/^\s*#.*$/gm, '');
  const found = new Map<string, Set<string>>();
  for (const m of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g)) {
    const d = m[2] === undefined ? '—' : m[2].endsWith('?') ? 'required' : m[3];
    if (!found.has(m[1])) found.set(m[1], new Set());
    found.get(m[1])!.add(d);
  }
  return [...found.entries()].map(([name, ds]) => ({
    name,
    defaultText: [...ds].sort().join(' / '),
  }));
}

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
import {
  ApplicationFailure,
  type ActivityOptions,
  type LocalActivityOptions,
  type RetryPolicy,
} from '@temporalio/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Registry } from 'prom-client';
import YAML from 'yaml';
import { z } from 'zod';
import { classifyError } from '../../activities/llm/errors';
import { REQUEST_BOUND_STATUS } from '../../activities/llm/request-bounds';
import { createApiApp, buildOpenApiDocument } from '../../api/bootstrap';
import { failureToHttp } from '../../api/core/workflow-errors';
import type { Role } from '../../api/http/auth/policy';
import type { EndpointClass } from '../../api/http/rate-limit/rate-limit-rules';
import { MissingAccessError } from '../../api/http/routes/nest-routes';
import { RouteTable } from '../../api/http/routes/route-table';
import { MetricsService } from '../../api/metrics/metrics.service';
import { WEB_APP_PATH } from '../../api/web-app';
import { envSchema, loadConfig } from '../../common/config';
import { FRAMEWORK_CATALOG, FRAMEWORKS } from '../../common/frameworks';
import { ORIGINS } from '../../common/origins';
import { createLogger } from '../../common/logger';
import { createMcpServer } from '../../mcp/server';
import type { McpServices } from '../../mcp/services';
import { createPrismaClient } from '../../prisma/client';
import type { RunSettings } from '../../common/workflow-types';
import { clusterEnvSchema } from '../../temporal/cluster/settings';
import {
  CLI_SEARCH_ATTRIBUTE_TYPE_NAMES,
  SEARCH_ATTRIBUTES,
} from '../../temporal/search-attributes';
import { WORKFLOW_KINDS } from '../../common/run-statuses';
import * as activityOptions from '../../workflows/activity-options';
import { createWorkerAppMetrics } from '../../workers/metrics';
import { envHelpers, envReads } from './env-reads';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface RouteFact {
  method: string;
  /** OpenAPI style: `/api/stories/{id}`. */
  path: string;
  inOpenApi: boolean;
  /** Registered outside Nest controllers (Swagger UI, the web app). */
  outsideNest: boolean;
  /** Its OpenAPI operation takes an `Idempotency-Key` header. */
  idempotencyKey: boolean;
  /** The role the app's route table requires (`@Access`, or where it is mounted). */
  access: Role;
  /** The rate limiter's endpoint class (`@RateLimitClass`, or where it is mounted). */
  limit: EndpointClass;
}

export interface RouteFacts {
  routes: RouteFact[];
  /** Nest routes without `@Access` (the app refuses to start with any): `Controller.method (GET /x)`. */
  unmarked: string[];
}

/** A concrete path for a templated one, to ask the route table about it. */
export const samplePath = (p: string) => p.replace(/\{[^}]+\}/g, 'sample-1');

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
export async function collectRoutes(): Promise<RouteFacts> {
  const config = loadConfig({ LOG_FILE_PATH: '' });
  const prisma = createPrismaClient(
    `file:${path.join(os.tmpdir(), 'quillflow-architecture-doc.db')}`,
  );
  const temporal = new Client({
    connection: Connection.lazy({ address: config.env.TEMPORAL_ADDRESS }),
  });
  const app = await createApiApp({ config, logger: silentLogger(), prisma, temporal });
  let unmarked: string[] = [];
  try {
    try {
      await app.init();
    } catch (err) {
      // Routes are on the router by now; list them anyway, and report what lacks @Access.
      if (!(err instanceof MissingAccessError)) throw err;
      unmarked = err.unmarked;
    }
    const table = app.get(RouteTable);
    const express = app.getHttpAdapter().getInstance() as {
      router?: { stack: Layer[] };
      _router?: { stack: Layer[] };
    };
    const stack = (express.router ?? express._router)?.stack ?? [];
    const doc = buildOpenApiDocument(app, config);
    const openApi = new Set<string>();
    const idempotent = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(m))
          continue;
        openApi.add(`${m.toUpperCase()} ${p}`);
        const params: unknown[] =
          op && typeof op === 'object' && 'parameters' in op && Array.isArray(op.parameters)
            ? op.parameters
            : [];
        if (
          params.some(
            (x) =>
              x !== null &&
              typeof x === 'object' &&
              'in' in x &&
              x.in === 'header' &&
              'name' in x &&
              String(x.name).toLowerCase() === 'idempotency-key',
          )
        )
          idempotent.add(`${m.toUpperCase()} ${p}`);
      }
    }
    const seen = new Map<string, RouteFact>();
    const add = (method: string, p: string, outsideNest: boolean) => {
      const key = `${method} ${p}`;
      if (!seen.has(key))
        seen.set(key, {
          method,
          path: p,
          inOpenApi: openApi.has(key),
          outsideNest,
          idempotencyKey: idempotent.has(key),
          access: table.requiredRole(method, samplePath(p)),
          limit: table.endpointClass(method, samplePath(p)),
        });
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
    return { routes: [...seen.values()], unmarked };
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

/** Where shipped code lives: not test/, specs, web/ (the web app reads no environment). */
const SHIPPED_DIRS = [
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
  'docker',
];

function shippedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'generated' && e.name !== 'node_modules') walk(p);
      } else if (/\.(ts|js|mjs)$/.test(e.name) && !/\.(spec|d)\.ts$/.test(e.name)) out.push(p);
    }
  };
  for (const d of SHIPPED_DIRS) if (fs.existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  return out.sort();
}

export interface EnvReadFact {
  name: string;
  files: string[];
  /** Literal fallbacks at the reads (test/architecture/env-reads.ts). */
  defaults: string[];
}

/**
 * Every variable the shipped code reads (directly, through an alias of process.env or through a
 * helper such as intEnv('NAME', 8100): test/architecture/env-reads.ts), plus the keys of the
 * tools' own zod schemas (temporal/cluster/settings.ts), which read them through the schema.
 */
let envReadsCache: EnvReadFact[] | undefined;

export function collectEnvReads(): EnvReadFact[] {
  envReadsCache ??= readEnvOfShippedCode();
  return envReadsCache;
}

function readEnvOfShippedCode(): EnvReadFact[] {
  const files = shippedFiles().map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') }));
  const helpers = files.flatMap(({ file, text }) => envHelpers(file, text));
  const found = new Map<string, { files: Set<string>; defaults: Set<string> }>();
  const note = (name: string, file: string, defaultText?: string) => {
    const f = found.get(name) ?? { files: new Set(), defaults: new Set() };
    f.files.add(file);
    if (defaultText !== undefined) f.defaults.add(defaultText);
    found.set(name, f);
  };
  for (const { file, text } of files)
    for (const r of envReads(file, text, helpers))
      note(r.name, path.relative(ROOT, file), r.defaultText);
  const clusterDefaults = clusterEnvSchema.parse({}) as Record<string, unknown>;
  for (const name of Object.keys(clusterEnvSchema.shape)) {
    const d = clusterDefaults[name];
    note(name, 'temporal/cluster/settings.ts', d === undefined ? undefined : formatDefault(d));
  }
  return [...found.entries()]
    .map(([name, f]) => ({ name, files: [...f.files].sort(), defaults: [...f.defaults].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Variables read outside the configuration schema: launcher, tooling and benchmark knobs. */
export function collectOtherEnv(reads: EnvReadFact[] = collectEnvReads()): EnvReadFact[] {
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
  return reads.filter((r) => !schema.has(r.name) && !ignore.has(r.name));
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
    // One activity per framework (activities/frameworks/registry.ts): the names the catalog gives.
    if (
      expr &&
      ts.isCallExpression(expr) &&
      ts.isIdentifier(expr.expression) &&
      expr.expression.text === 'activitiesPerFramework'
    ) {
      const capability = expr.arguments[1];
      if (
        !capability ||
        !ts.isStringLiteral(capability) ||
        (capability.text !== 'story' && capability.text !== 'chat')
      )
        throw new Error(
          `${where(sf, expr)}: activitiesPerFramework needs 'story' or 'chat' as a literal`,
        );
      const cap = capability.text;
      return FRAMEWORKS.map((f) => FRAMEWORK_CATALOG[f][cap].activity);
    }
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
        // A wrapper such as pausedWhileUnavailable(client, failingForGood({ ... })): the keys of
        // the innermost object, through any number of wrappers.
        let wrapped = call.arguments.at(-1);
        while (wrapped && ts.isCallExpression(wrapped)) wrapped = wrapped.arguments.at(-1);
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

// ---------------------------------------------------------------------------------------------
// Facts for the tables of test/architecture/architecture-checks.ts

/** Activity options of workflows/activity-options.ts, as numbers (ms). */
export interface OptionsValue {
  startToCloseMs?: number;
  heartbeatMs?: number;
  retry?: RetryPolicy;
}

export interface ActivityOptionsFacts {
  /** Every export whose name ends in `Options`, evaluated for the given run settings. */
  options: Map<string, (s: RunSettings, calls: number) => OptionsValue>;
  llmRetryPolicy: (r: RunSettings['retry']) => RetryPolicy;
}

function durationMs(d: unknown, what: string): number | undefined {
  if (d === undefined) return undefined;
  if (typeof d === 'number') return d;
  throw new Error(
    `${what} is ${JSON.stringify(d)}: the checker reads durations given in milliseconds only`,
  );
}

function optionsValue(name: string, o: ActivityOptions | LocalActivityOptions): OptionsValue {
  return {
    startToCloseMs: durationMs(o.startToCloseTimeout, `${name}.startToCloseTimeout`),
    heartbeatMs:
      'heartbeatTimeout' in o
        ? durationMs(o.heartbeatTimeout, `${name}.heartbeatTimeout`)
        : undefined,
    retry: o.retry,
  };
}

export function collectActivityOptions(): ActivityOptionsFacts {
  const known: Record<
    string,
    (s: RunSettings, calls: number) => ActivityOptions | LocalActivityOptions
  > = {
    singleCallOptions: (s) => activityOptions.singleCallOptions(s),
    graphOptions: (s, calls) => activityOptions.graphOptions(s, calls),
    itemOptions: (s, calls) => activityOptions.itemOptions(s, calls),
    persistOptions: () => activityOptions.persistOptions,
    persistLocalOptions: () => activityOptions.persistLocalOptions,
  };
  const exported = Object.keys(activityOptions).filter((k) => k.endsWith('Options'));
  const unknown = exported.filter((k) => !(k in known));
  if (unknown.length)
    throw new Error(
      `workflows/activity-options.ts exports ${unknown.join(', ')}: add to collectActivityOptions`,
    );
  return {
    options: new Map(
      exported.map((name) => [
        name,
        (s: RunSettings, calls: number) => optionsValue(name, known[name](s, calls)),
      ]),
    ),
    llmRetryPolicy: activityOptions.llmRetryPolicy,
  };
}

export interface ErrorFacts {
  /** Failure types the LLM call path can produce (string literals of activities/llm/, request bounds). */
  types: string[];
  classify: (err: unknown) => { type: string; retryable: boolean };
  /** The HTTP status the API answers for a run that failed with this type. */
  apiStatus: (type: string) => number;
}

export function collectErrorFacts(): ErrorFacts {
  const dir = path.join(ROOT, 'activities', 'llm');
  const types = new Set<string>(Object.keys(REQUEST_BOUND_STATUS));
  for (const f of fs.readdirSync(dir)) {
    if (!/\.ts$/.test(f) || /\.spec\.ts$/.test(f)) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(/'(Provider[A-Z][A-Za-z0-9]*)'/g)) types.add(m[1]);
    // `ProviderHttp${status}`: one type per status.
    for (const m of text.matchAll(/`(Provider[A-Z][A-Za-z0-9]*)\$\{(\w+)\}`/g))
      types.add(`${m[1]}<${m[2]}>`);
  }
  return {
    types: [...types].sort(),
    classify: (err) => {
      const c = classifyError(err);
      return { type: c.type, retryable: c.retryable };
    },
    apiStatus: (type) =>
      failureToHttp(ApplicationFailure.create({ type, message: 'probe' })).getStatus(),
  };
}

export interface SearchAttributeFacts {
  attributes: { name: string; type: string }[];
  /** The closed value sets some attributes take. */
  values: Record<string, readonly string[]>;
}

export function collectSearchAttributes(): SearchAttributeFacts {
  return {
    attributes: SEARCH_ATTRIBUTES.map((k) => ({
      name: k.name,
      type: CLI_SEARCH_ATTRIBUTE_TYPE_NAMES[k.type],
    })),
    values: { Origin: ORIGINS, WorkflowKind: WORKFLOW_KINDS },
  };
}

export interface MetricFact {
  name: string;
  labels: string[];
  /** Which registry serves it. */
  from: 'api' | 'worker';
}

function metricsOf(registry: Registry, from: MetricFact['from']): MetricFact[] {
  return registry
    .getMetricsAsArray()
    .filter((m) => m.name.startsWith('quillflow_'))
    .map((m) => ({
      name: m.name,
      // prom-client keeps the label names on the metric but leaves them out of its types.
      labels: 'labelNames' in m && Array.isArray(m.labelNames) ? m.labelNames.map(String) : [],
      from,
    }));
}

/** Quillflow's own metrics: the API's registry and the worker's app registry. */
export function collectMetrics(): MetricFact[] {
  return [
    ...metricsOf(new MetricsService().registry, 'api'),
    ...metricsOf(createWorkerAppMetrics().registry, 'worker'),
  ];
}

/** Compose services' `environment` values: name -> values. */
function composeEnvironment(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const file = composeFile();
  if (!file) return out;
  const doc: unknown = YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  const services = z
    .object({ services: z.record(z.string(), z.object({ environment: z.unknown().optional() })) })
    .parse(doc).services;
  for (const s of Object.values(services)) {
    const env = s.environment;
    const pairs: [string, unknown][] = Array.isArray(env)
      ? env.map((e): [string, unknown] => {
          const [k, ...v] = String(e).split('=');
          return [k, v.length ? v.join('=') : undefined];
        })
      : env && typeof env === 'object'
        ? Object.entries(env)
        : [];
    for (const [k, v] of pairs) {
      if (v === undefined || v === null) continue;
      const text =
        typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : JSON.stringify(v);
      out.set(k, (out.get(k) ?? new Set()).add(text));
    }
  }
  return out;
}

export interface PortVariableFact {
  name: string;
  /** Its defaults: the configuration schema's, literal fallbacks at its reads, docker-compose.yml's values. */
  defaults: string[];
}

/** Every variable that sets a port (its name ends in PORT), with its defaults. */
export function collectPortVariables(reads: EnvReadFact[] = collectEnvReads()): PortVariableFact[] {
  const all = new Map<string, Set<string>>();
  const add = (name: string, values: Iterable<string>) => {
    if (!/PORT$/.test(name)) return;
    const set = all.get(name) ?? new Set<string>();
    for (const v of values) if (v !== '—') set.add(v);
    all.set(name, set);
  };
  for (const e of collectEnv()) add(e.name, [e.defaultText]);
  for (const r of reads) add(r.name, r.defaults);
  for (const [name, values] of composeEnvironment()) if (all.has(name)) add(name, values);
  return [...all.entries()].map(([name, d]) => ({ name, defaults: [...d].sort() }));
}

/** package.json: direct dependencies (name -> range) and engines (`node`). */
export function collectPackages(): Record<string, string> {
  const pkg = z
    .object({
      dependencies: z.record(z.string(), z.string()).default({}),
      devDependencies: z.record(z.string(), z.string()).default({}),
      engines: z.record(z.string(), z.string()).default({}),
    })
    .parse(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')));
  return { ...pkg.engines, ...pkg.devDependencies, ...pkg.dependencies };
}

/** The text of a repository file, or undefined when it does not exist. */
export function repoFile(relative: string): string | undefined {
  const file = path.resolve(ROOT, relative);
  return file.startsWith(ROOT) && fs.existsSync(file) && fs.statSync(file).isFile()
    ? fs.readFileSync(file, 'utf8')
    : undefined;
}

import { z } from 'zod';
import { BATCH_ITEM_MODES, DEFAULT_BATCH_ITEM_MODE } from './batch-items';

/**
 * The one configuration schema for api, workers and mcp. Environment variable names are the
 * original platform's where one existed (PROVIDER_*, RETRY_*, RATE_LIMIT_*, LOG_*, ...), so an
 * existing FASTAPILLM .env keeps working. `.env.example` documents every key.
 */

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 'TRUE', 'FALSE', 'True', 'False'])
    .optional()
    .transform((v) =>
      v === undefined ? def : ['true', '1', 'yes', 'on'].includes(v.toLowerCase()),
    );

/** Like bool, but unset stays undefined: the consumer decides (e.g. TLS follows the API key). */
const optionalBool = z
  .enum(['', 'true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 'TRUE', 'FALSE', 'True', 'False'])
  .optional()
  .transform((v) =>
    v === undefined || v === '' ? undefined : ['true', '1', 'yes', 'on'].includes(v.toLowerCase()),
  );

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);

const num = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().min(min).max(max).default(def);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalPort = optionalString.transform((v, ctx) => {
  if (v === undefined) return undefined;
  const port = Number(v);
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  ctx.addIssue({ code: 'custom', message: 'must be a port number (1-65535) or empty' });
  return z.NEVER;
});

const jsonHeaders = optionalString.transform((v, ctx) => {
  if (v === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(v);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
    return Object.fromEntries(Object.entries(parsed).map(([k, val]) => [k, String(val)]));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of header names to values' });
    return z.NEVER;
  }
});

const perMinute = z.coerce.number().positive().optional();
/** One fallback provider (PROVIDER_FALLBACKS): OpenAI-compatible, with its own prices and limits. */
const fallbackProvider = z
  .object({
    name: z.string().min(1),
    baseUrl: z.string().regex(/^https?:\/\//i, 'must start with http:// or https://'),
    apiKey: z.string().min(1),
    model: z.string().min(1),
    requestsPerMinute: perMinute,
    tokensPerMinute: perMinute,
    // A different model may allow less output or want another temperature; absent = MAX_TOKENS, TEMPERATURE.
    maxTokens: z.number().int().min(1).max(200_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    // USD per 1,000 tokens; absent = the pricing table's price of the model.
    inputCostPer1k: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional(),
    outputCostPer1k: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional(),
  })
  .strict();
export type FallbackProviderSetting = z.infer<typeof fallbackProvider>;
const jsonFallbacks = optionalString.transform((v, ctx): FallbackProviderSetting[] => {
  if (v === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array of providers' });
    return z.NEVER;
  }
  const r = z.array(fallbackProvider).safeParse(parsed);
  if (!r.success) {
    // The issue's path and message only: never the value, which holds API keys.
    ctx.addIssue({
      code: 'custom',
      message: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
    return z.NEVER;
  }
  return r.data;
});

const csv = (def: string[]) =>
  optionalString.transform((v) =>
    v === undefined
      ? def
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
  );

const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isIpOrSubnet = (v: string): boolean => {
  const [ip = '', bits, extra] = v.split('/');
  if (extra !== undefined) return false;
  const v4 = IPV4.test(ip);
  const v6 = !v4 && ip.includes(':') && /^[0-9a-f:.]+$/i.test(ip);
  if (!v4 && !v6) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (v4 ? 32 : 128));
};

/**
 * Express's `trust proxy`: whose X-Forwarded-For is believed for the client address (rate
 * limits, logs, recorded user IPs). "false" = the socket address; "true" = any (only behind a
 * proxy that overwrites the header); a hop count; or presets/addresses/subnets, comma-separated.
 */
const trustProxy = z
  .string()
  .default('loopback')
  .transform((v, ctx): boolean | number | string[] => {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === 'false') return t === 'true';
    if (/^\d+$/.test(t)) return Number(t);
    const list = t
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.filter((s) => !PROXY_PRESETS.has(s) && !isIpOrSubnet(s));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be true, false, a hop count, or comma-separated loopback/linklocal/uniquelocal/IP/CIDR entries${bad.length ? ` (not understood: ${bad.join(', ')})` : ''}`,
      });
      return z.NEVER;
    }
    return list;
  });

export const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  APP_NAME: z.string().default('Quillflow'),
  APP_VERSION: z.string().default('0.1.0'),
  DEBUG_MODE: bool(false),

  HOST: z.string().default('0.0.0.0'),
  PORT: int(8000, 0, 65535),
  PUBLIC_URL: optionalString,
  // Where the landing page links for the web app: a path on this server or a full URL (Vite dev server).
  WEB_UI_URL: z.string().default('/ui/'),

  DATABASE_URL: z.string().default('file:./data/quillflow.db'),
  // PostgreSQL: connections per process. The worker's activities share them (most wait on the
  // LLM, not the database), so it can stay well below WORKER_MAX_CONCURRENT_ACTIVITIES.
  DATABASE_POOL_SIZE: int(10, 1, 1000),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('quillflow'),
  TEMPORAL_UI_URL: z.string().default('http://localhost:8233'),
  TEMPORAL_API_KEY: optionalString,
  // Unset: TLS exactly when TEMPORAL_API_KEY is set (Temporal Cloud takes API keys only over TLS).
  TEMPORAL_TLS: optionalBool,
  // Whether the API and the worker may create the namespace and register Quillflow's search
  // attributes when missing (temporal/namespace-contract.ts); otherwise they refuse to start and
  // print the commands. auto = yes for a loopback TEMPORAL_ADDRESS without TEMPORAL_API_KEY.
  TEMPORAL_NAMESPACE_SETUP: z
    .string()
    .default('auto')
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['auto', 'true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
    .transform((v): 'auto' | 'true' | 'false' =>
      v === 'auto' ? 'auto' : ['true', '1', 'yes', 'on'].includes(v) ? 'true' : 'false',
    ),
  // Retention of a namespace that Quillflow creates (as docker-compose.yml's temporal-setup).
  TEMPORAL_NAMESPACE_RETENTION: z
    .string()
    .default('720h')
    .transform((v) => v.trim())
    .pipe(z.string().regex(/^[1-9]\d*(s|m|h|d)$/, 'must be a duration such as 720h or 30d')),

  PROVIDER_API_KEY: optionalString,
  PROVIDER_API_BASE_URL: optionalString,
  PROVIDER_MODEL: optionalString,
  PROVIDER_NAME: optionalString,
  PROVIDER_API_TYPE: z.string().default('openai'),
  PROVIDER_HEADERS: jsonHeaders,
  // The provider account's limits for PROVIDER_MODEL (unset = no pacing): every worker process
  // together stays under them (activities/llm/pacer.ts).
  PROVIDER_REQUESTS_PER_MINUTE: perMinute,
  PROVIDER_TOKENS_PER_MINUTE: perMinute,
  // Without them, limits a 429 states (x-ratelimit-limit-*) pace the worker's calls until the
  // provider has sent no 429 for this long; then calls go unpaced again (activities/llm/learned-limits.ts).
  PROVIDER_LEARNED_LIMITS_QUIET_SECONDS: num(300, 1, 86400),
  // Ordered fallbacks: JSON [{name, baseUrl, apiKey, model, requestsPerMinute?, tokensPerMinute?,
  // inputCostPer1k?, outputCostPer1k?}]. Calls move down the list while a provider keeps failing.
  PROVIDER_FALLBACKS: jsonFallbacks,
  // Consecutive failures (5xx, timeouts, connection errors, unknown model) that take a provider
  // out of the rotation, and how long until one call tries it again.
  PROVIDER_FAILOVER_AFTER: int(3, 1, 1000),
  PROVIDER_RECOVERY_SECONDS: num(15, 0.1, 3600),
  // Longest one activity waits on pacing and 429s before the wait counts as a failed attempt.
  PROVIDER_MAX_WAIT_SECONDS: num(900, 1, 86400),
  CUSTOM_VAR: optionalString,
  OPENAI_TIMEOUT: num(60, 1, 3600),
  API_TIMEOUT: num(30, 1, 3600),
  // Longest a request waits for its workflow (?wait=true, POST /api/{framework}, chat, context)
  // before answering that the work is still running; the work itself goes on regardless.
  WAIT_TIMEOUT_SECONDS: num(120, 1, 3600),
  MAX_TOKENS: int(1000, 1, 200000),
  TEMPERATURE: num(0.7, 0, 2),
  PRICING_FILE: optionalString,
  // Tokens a model takes in one call (prompt + answer) when the pricing table gives no
  // `contextWindow` for it; every request is checked against it before its first LLM call.
  DEFAULT_CONTEXT_WINDOW: int(128000, 256, 100_000_000),
  // Most one request (a story, a chat turn, a context prompt, each batch item) may cost in the
  // worst case (every call's input at the input price + MAX_TOKENS of output per call); over it
  // the request is refused with 422 before anything starts. USD, a decimal such as 5 or 0.25.
  MAX_REQUEST_COST_USD: z
    .string()
    .trim()
    .regex(
      /^\d{1,9}(\.\d{1,6})?$/,
      'must be an amount in USD such as 5 or 0.25 (at most 6 decimals)',
    )
    .default('5'),

  SIMULATOR_PORT: int(8100, 0, 65535),
  SIMULATOR_LATENCY_MS: int(300, 0, 600000),
  // Base URL of the simulator when it runs elsewhere (docker compose: http://simulator:8100/v1).
  SIMULATOR_URL: optionalString,

  RETRY_ENABLED: bool(true),
  RETRY_MAX_ATTEMPTS: int(3, 1, 100),
  RETRY_MIN_WAIT_SECONDS: num(1, 0.01, 3600),
  RETRY_MAX_WAIT_SECONDS: num(30, 0.01, 86400),
  RETRY_MULTIPLIER: num(2, 1, 100),

  RATE_LIMITING_ENABLED: bool(true),
  RATE_LIMIT_GLOBAL_SERVER: int(1000, 1),
  RATE_LIMIT_PER_IP: int(60, 1),
  RATE_LIMIT_STORY_GENERATION: int(15, 1),
  RATE_LIMIT_LIST_ENDPOINTS: int(30, 1),
  RATE_LIMIT_HEALTH_STATUS: int(100, 1),
  RATE_LIMIT_RETURN_STATUS_CODE: int(429, 400, 599),

  TRUST_PROXY: trustProxy,
  CORS_ORIGINS: csv([
    'http://localhost:8000',
    'http://localhost:3000',
    'http://localhost:3001',
    'http://localhost:5173',
  ]),
  MAX_REQUEST_SIZE: int(1048576, 1024),
  MAX_UPLOAD_BYTES: int(10 * 1024 * 1024, 1024),
  MIN_CHARACTER_LENGTH: int(1, 1, 1000),
  // At most the width of the stories table's character columns (VARCHAR(100), prisma/schema.prisma).
  MAX_CHARACTER_LENGTH: int(100, 1, 100),
  CHAT_HISTORY_TOKEN_BUDGET: int(6000, 100, 1000000),

  LOG_LEVEL: z
    .string()
    .default('info')
    .transform((v) => v.toLowerCase())
    .pipe(
      z.enum(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'silent', 'critical']),
    )
    .transform((v) => (v === 'warning' ? 'warn' : v === 'critical' ? 'fatal' : v)),
  LOG_FILE_PATH: z.string().default('logs/app.log'),
  LOG_ROTATION_HOURS: int(1, 1, 24 * 365),
  LOG_RETENTION_DAYS: int(7, 1, 3650),
  LOG_PRETTY: bool(false),

  API_KEYS: csv([]),
  ADMIN_API_KEYS: csv([]),
  // MCP over HTTP (/mcp): DNS-rebinding protection. Hostnames (any port) and exact origins
  // allowed besides localhost; PUBLIC_URL's host is allowed too.
  MCP_ALLOWED_HOSTS: csv([]),
  MCP_ALLOWED_ORIGINS: csv([]),
  // How long an MCP tool with wait=true waits before answering "still running" (most MCP
  // clients give up on a request after 60 s).
  MCP_MAX_WAIT_SECONDS: int(50, 1, 3600),
  WORKER_MAX_CONCURRENT_ACTIVITIES: int(100, 1, 10000),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: int(40, 1, 10000),
  // Worker memory (BENCHMARKS.md): open workflows kept in the worker's cache (the SDK would derive
  // it from the heap limit, which WORKER_HEAP_MB lowers), and the V8 old-space limit the
  // launchers (npm start, docker compose, the bench) start the worker with; 0 = Node's default.
  WORKER_MAX_CACHED_WORKFLOWS: int(1000, 2, 100000),
  WORKER_HEAP_MB: int(256, 0, 65536),
  BATCH_DEFAULT_CONCURRENCY: int(10, 1, 1000),
  // API: longest a read of a running batch (GET /api/batches/:id, its event stream) waits for the
  // workflow to answer its progress query. A query needs a worker on the batch's task queue;
  // without one it would wait for ever, so past this the read answers from the database and says so.
  WORKFLOW_QUERY_TIMEOUT_MS: int(3000, 50, 60_000),
  // How a new batch runs its items when its request names no `itemMode` (common/batch-items.ts):
  // `activity` (an activity of the batch per item, a third of the CPU) or `workflow` (a child run each).
  BATCH_ITEM_MODE: z.enum(BATCH_ITEM_MODES).default(DEFAULT_BATCH_ITEM_MODE),
  // API: answers about closed runs (GET /api/runs/:id and /history) kept in memory, at most
  // this many, each for at most this long (bounds how late an audit row may show); 0 = off.
  RUN_CACHE_MAX_ENTRIES: int(500, 0, 100000),
  RUN_CACHE_TTL_SECONDS: int(60, 0, 86400),
  // Stories store their row with a local activity (one server round trip fewer per story);
  // false = an ordinary activity task. Read when a run starts (API, batches).
  STORY_PERSIST_LOCAL_ACTIVITY: bool(true),

  // Observability (docs/DEPLOYMENT.md). Worker: the Temporal SDK's own Prometheus exporter, and
  // Quillflow's (LLM calls, tokens, cost, Node process) plus GET /health; unset = not served.
  WORKER_METRICS_PORT: optionalPort,
  WORKER_APP_METRICS_PORT: optionalPort,
  // OpenTelemetry tracing through the Temporal interceptors (api client + worker); off by default.
  OTEL_ENABLED: bool(false),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console']).default('otlp'),
  OTEL_SERVICE_NAME: optionalString,

  // Checks every API response against the schema its route declares in the OpenAPI document
  // (a mismatch is a 500 naming the route and field); on in the test platforms, off by default.
  QUILLFLOW_VALIDATE_RESPONSES: bool(false),
});

export type Env = z.infer<typeof envSchema>;

export interface ProviderConfig {
  /** Display name; `simulator` when the bundled simulator stands in for a real model. */
  name: string;
  baseUrl: string;
  apiKey: string;
  model: string;
  headers: Record<string, string>;
  timeoutMs: number;
  simulated: boolean;
  maxTokens: number;
  temperature: number;
  /** The account's limits for this model; absent = not paced. */
  limits: { requestsPerMinute?: number; tokensPerMinute?: number };
  /** Prices of this provider/model (USD per 1k tokens); absent = the pricing table's. */
  prices?: { input: string; output: string };
}

export interface RetrySettings {
  enabled: boolean;
  maximumAttempts: number;
  initialIntervalMs: number;
  maximumIntervalMs: number;
  backoffCoefficient: number;
}

export interface AppConfig {
  env: Env;
  provider: ProviderConfig;
  /** The primary (= provider) first, then PROVIDER_FALLBACKS in order. */
  providers: ProviderConfig[];
  retry: RetrySettings;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const SIMULATOR_MODEL = 'quillflow-sim-1';

function resolveProvider(env: Env): ProviderConfig {
  const given = {
    PROVIDER_API_KEY: env.PROVIDER_API_KEY,
    PROVIDER_API_BASE_URL: env.PROVIDER_API_BASE_URL,
    PROVIDER_MODEL: env.PROVIDER_MODEL,
  };
  const missing = Object.entries(given)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  const common = {
    headers: env.PROVIDER_HEADERS,
    timeoutMs: env.OPENAI_TIMEOUT * 1000,
    maxTokens: env.MAX_TOKENS,
    temperature: env.TEMPERATURE,
    limits: {
      ...(env.PROVIDER_REQUESTS_PER_MINUTE
        ? { requestsPerMinute: env.PROVIDER_REQUESTS_PER_MINUTE }
        : {}),
      ...(env.PROVIDER_TOKENS_PER_MINUTE
        ? { tokensPerMinute: env.PROVIDER_TOKENS_PER_MINUTE }
        : {}),
    },
  };
  if (missing.length === 3) {
    // Nothing configured: run against the bundled simulator, and say so everywhere.
    return {
      ...common,
      name: 'simulator',
      baseUrl:
        env.SIMULATOR_URL?.replace(/\/+$/, '') ?? `http://127.0.0.1:${env.SIMULATOR_PORT}/v1`,
      apiKey: 'simulator',
      model: SIMULATOR_MODEL,
      simulated: true,
    };
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `Provider is partly configured: set ${missing.join(', ')} too (or unset all PROVIDER_* variables to use the bundled simulator).`,
    );
  }
  if (env.PROVIDER_API_TYPE.toLowerCase() !== 'openai') {
    throw new ConfigError(
      `PROVIDER_API_TYPE=${env.PROVIDER_API_TYPE} is not supported: only OpenAI-compatible APIs ("openai") are.`,
    );
  }
  const baseUrl = given.PROVIDER_API_BASE_URL!.replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(baseUrl)) {
    throw new ConfigError('PROVIDER_API_BASE_URL must start with http:// or https://');
  }
  return {
    ...common,
    name: env.PROVIDER_NAME ?? 'LLM Provider',
    baseUrl,
    apiKey: given.PROVIDER_API_KEY!,
    model: given.PROVIDER_MODEL!,
    simulated: false,
  };
}

/** Parses and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(
  source: NodeJS.ProcessEnv | Record<string, string | undefined>,
): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (env.MIN_CHARACTER_LENGTH > env.MAX_CHARACTER_LENGTH) {
    throw new ConfigError('MIN_CHARACTER_LENGTH must not exceed MAX_CHARACTER_LENGTH');
  }
  const provider = resolveProvider(env);
  const fallbacks = env.PROVIDER_FALLBACKS.map((f): ProviderConfig => ({
    name: f.name,
    baseUrl: f.baseUrl.replace(/\/+$/, ''),
    apiKey: f.apiKey,
    model: f.model,
    headers: provider.headers,
    timeoutMs: provider.timeoutMs,
    simulated: false,
    maxTokens: f.maxTokens ?? provider.maxTokens,
    temperature: f.temperature ?? provider.temperature,
    limits: {
      ...(f.requestsPerMinute ? { requestsPerMinute: f.requestsPerMinute } : {}),
      ...(f.tokensPerMinute ? { tokensPerMinute: f.tokensPerMinute } : {}),
    },
    ...(f.inputCostPer1k !== undefined || f.outputCostPer1k !== undefined
      ? { prices: { input: f.inputCostPer1k ?? '0', output: f.outputCostPer1k ?? '0' } }
      : {}),
  }));
  return {
    env,
    provider,
    providers: [provider, ...fallbacks],
    retry: {
      enabled: env.RETRY_ENABLED,
      maximumAttempts: env.RETRY_ENABLED ? env.RETRY_MAX_ATTEMPTS : 1,
      initialIntervalMs: Math.round(env.RETRY_MIN_WAIT_SECONDS * 1000),
      maximumIntervalMs: Math.round(env.RETRY_MAX_WAIT_SECONDS * 1000),
      backoffCoefficient: env.RETRY_MULTIPLIER,
    },
  };
}

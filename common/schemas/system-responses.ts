import { z } from 'zod';
import { named } from './response-fields';

/** Provider, MCP, health probes and the web app's settings. */

export const providerInfoSchema = named(
  'ProviderInfo',
  z.strictObject({
    provider: z.string(),
    model: z.string(),
    /** A real provider is configured (false: the bundled simulator stands in). */
    configured: z.boolean(),
    simulated: z.boolean(),
    /** Said when the simulator stands in. */
    warning: z.string().optional(),
  }),
  'The configured LLM provider',
);
export type ProviderInfo = z.infer<typeof providerInfoSchema>;

export const mcpStatusSchema = named(
  'McpStatus',
  z.strictObject({
    mcp_available: z.boolean(),
    transports: z.array(z.string()),
    http_endpoint: z.string(),
    /** The full URL of /mcp, when PUBLIC_URL is set. */
    http_url: z.string().optional(),
    stdio_command: z.string(),
    /** The original's field names, for clients that read them. */
    standalone_command: z.string(),
    mcp_server_info: z.string(),
    message: z.string(),
  }),
  'How to reach the MCP server',
);
export type McpStatus = z.infer<typeof mcpStatusSchema>;

export const ENVIRONMENTS = ['development', 'production'] as const;

export const healthSchema = named(
  'Health',
  z.strictObject({
    status: z.literal('healthy'),
    /** Unix time in seconds. */
    timestamp: z.number(),
    version: z.string(),
    request_id: z.string(),
    environment: z.enum(ENVIRONMENTS),
    uptime_seconds: z.number(),
  }),
  'The API process is up',
);
export type Health = z.infer<typeof healthSchema>;

export const livenessSchema = named(
  'Liveness',
  z.strictObject({ status: z.literal('alive'), uptime_seconds: z.number() }),
  'The process can serve HTTP',
);

export const CHECK_RESULTS = ['ok', 'failed', 'timeout'] as const;

export const readinessSchema = named(
  'Readiness',
  z.strictObject({
    status: z.enum(['ready', 'not_ready']),
    /** database, temporal and temporal_setup (the namespace has Quillflow's search attributes). */
    checks: z.record(z.string(), z.enum(CHECK_RESULTS)),
    /** When temporal_setup failed: what is missing, e.g. `search attribute CorrelationId (Keyword) is not registered on namespace "default"`. */
    problems: z.array(z.string()).optional(),
    /** When temporal_setup failed: the `temporal` CLI commands (and, for Temporal Cloud, where to add them) that fix it. */
    fix: z.array(z.string()).optional(),
  }),
  'Readiness: each dependency check is ok, failed or timeout (200 when all are ok, else 503, with problems and fix when the Temporal namespace is not set up)',
);
export type Readiness = z.infer<typeof readinessSchema>;

export const uiConfigSchema = named(
  'UiConfig',
  z.strictObject({ temporalUiUrl: z.string(), namespace: z.string() }),
  'Settings for the web app',
);
export type UiConfig = z.infer<typeof uiConfigSchema>;

/**
 * The one place that opens connections to Temporal (API, workers, MCP, tests, scripts).
 *
 * Processes often start together with the server (docker compose, `npm start`, CI), so
 * connecting retries for a while before giving up with an error that names the address.
 */
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  isGrpcServiceError,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';
import type { ClientOptions, ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { NativeConnectionOptions } from '@temporalio/worker';

export interface TemporalConnectionConfig {
  /** host:port of the frontend gRPC service, e.g. `localhost:7233`. */
  address: string;
  namespace: string;
  /** Temporal Cloud / proxy API key (sent as `Authorization: Bearer …`). Implies TLS unless `tls: false`. */
  apiKey?: string;
  tls?: boolean;
}

export interface ConnectRetryOptions {
  /** Keep retrying unreachable servers / not-yet-created namespaces this long. Default 30 s. */
  retryForMs?: number;
  log?: (m: string) => void;
}

export interface TemporalClientHandle {
  connection: Connection;
  client: Client;
  close(): Promise<void>;
}

/** Standard Temporal env var names (the same ones the `temporal` CLI reads). */
export function temporalConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): TemporalConnectionConfig {
  const tls = env.TEMPORAL_TLS;
  return {
    address: env.TEMPORAL_ADDRESS || 'localhost:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    apiKey: env.TEMPORAL_API_KEY || undefined,
    tls:
      tls === undefined || tls === ''
        ? undefined
        : ['1', 'true', 'yes'].includes(tls.toLowerCase()),
  };
}

// gRPC status codes (numeric so we don't depend on @grpc/grpc-js directly).
const GRPC_NOT_FOUND = 5;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNIMPLEMENTED = 12;
const GRPC_UNAUTHENTICATED = 16;

/** The gRPC status code of an SDK error, which wraps the gRPC error as `cause` in places. */
export function grpcCode(err: unknown): number | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (isGrpcServiceError(e)) return e.code;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** Errors that waiting will not fix: fail at once instead of retrying for 30 s. */
function isPermanent(err: unknown): boolean {
  const code = grpcCode(err);
  return code === GRPC_UNAUTHENTICATED || code === GRPC_PERMISSION_DENIED;
}

function useTls(cfg: Pick<TemporalConnectionConfig, 'apiKey' | 'tls'>): boolean {
  // API keys are only accepted over TLS by Temporal Cloud; an explicit `tls: false` still wins (local proxies).
  return cfg.tls ?? Boolean(cfg.apiKey);
}

type WorkflowServiceLike = Pick<Connection['workflowService'], 'describeNamespace'>;

/** Fails with NOT_FOUND while the namespace is still being created (retried by the caller). */
async function checkNamespace(service: WorkflowServiceLike, namespace: string): Promise<void> {
  try {
    await service.describeNamespace({ namespace });
  } catch (err) {
    const code = grpcCode(err);
    // Some API keys may not describe namespaces; that says nothing about whether it exists.
    if (code === GRPC_PERMISSION_DENIED || code === GRPC_UNIMPLEMENTED) return;
    if (code === GRPC_NOT_FOUND)
      throw new Error(`namespace "${namespace}" does not exist`, { cause: err });
    throw err;
  }
}

async function withConnectRetry<T>(
  what: string,
  cfg: Omit<TemporalConnectionConfig, 'namespace'> & { namespace?: string },
  opts: ConnectRetryOptions,
  attempt: (timeoutMs: number) => Promise<T>,
): Promise<T> {
  const retryForMs = opts.retryForMs ?? 30_000;
  const started = Date.now();
  const deadline = started + retryForMs;
  let delay = 200;
  let tries = 0;
  for (;;) {
    tries++;
    try {
      // Bound each attempt so one hung dial cannot eat the whole retry budget.
      return await attempt(Math.max(1_000, Math.min(5_000, deadline - Date.now())));
    } catch (err) {
      const message = (err as Error).message;
      if (isPermanent(err) || Date.now() + delay > deadline) {
        throw new Error(
          `Could not connect ${what} to Temporal at ${cfg.address} (${cfg.namespace ? `namespace "${cfg.namespace}", ` : ''}` +
            `tls ${useTls(cfg) ? 'on' : 'off'}) after ${tries} attempt(s) in ${Math.round((Date.now() - started) / 1000)} s: ${message}. ` +
            'Is the server running? Locally: `npm run temporal:dev`.',
          { cause: err },
        );
      }
      if (tries === 1)
        opts.log?.(
          `Temporal at ${cfg.address} not ready yet (${message}); retrying for up to ${retryForMs / 1000} s`,
        );
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2_000);
    }
  }
}

/** Client-side connection (API, MCP, scripts, tests). */
export async function connectTemporal(
  cfg: TemporalConnectionConfig,
  opts: ConnectRetryOptions & {
    clientOptions?: Omit<ClientOptions, 'connection' | 'namespace'>;
    /** Default true. False when the caller checks (and may create) the namespace itself (temporal/namespace-contract.ts). */
    waitForNamespace?: boolean;
  } = {},
): Promise<TemporalClientHandle> {
  const retries = closableRetries();
  const connection = await withConnectRetry('client', cfg, opts, async (timeoutMs) => {
    const options: ConnectionOptions = {
      address: cfg.address,
      tls: useTls(cfg),
      apiKey: cfg.apiKey,
      connectTimeout: timeoutMs,
      interceptors: [retries.interceptor],
    };
    // lazy + ensureConnected (instead of connect) so a failed attempt can close its channel.
    const conn = Connection.lazy(options);
    try {
      await conn.ensureConnected(); // waits for the channel and calls GetSystemInfo
      if (opts.waitForNamespace !== false)
        await checkNamespace(conn.workflowService, cfg.namespace);
      return conn;
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  });
  const client = new Client({ ...opts.clientOptions, connection, namespace: cfg.namespace });
  return {
    connection,
    client,
    close: async () => {
      await retries.drain();
      await connection.close();
    },
  };
}

/**
 * The SDK's gRPC retry interceptor, made safe to close. The SDK schedules a retry with a timer
 * that `Connection.close()` does not clear; if it fires after the close, grpc-js throws
 * "Channel has been shut down" inside the timer, an uncaught exception that kills the process
 * (seen when the API or a test platform shuts down while a call is being retried). Here a
 * closing connection schedules no new retries, and close waits (at most 10 s) until the retries
 * already scheduled have run on the still-open channel.
 */
export function closableRetries(now: () => number = Date.now) {
  const defaults = defaultGrpcRetryOptions();
  let closing = false;
  let lastRetryAt = 0;
  const interceptor = makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => !closing && defaults.retryableDecider(attempt, status),
    delayFunction: (attempt, status) => {
      const ms = defaults.delayFunction(attempt, status);
      lastRetryAt = Math.max(lastRetryAt, now() + ms);
      return ms;
    },
  });
  return {
    interceptor,
    /** Milliseconds until the last scheduled retry has started. */
    pendingMs: () => Math.max(0, lastRetryAt - now()),
    async drain(maxWaitMs = 10_000): Promise<void> {
      closing = true;
      const wait = Math.min(Math.max(0, lastRetryAt - now()), maxWaitMs);
      // A little past the timer: the retry's own call must have been created before the close.
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 25));
    },
  };
}

/**
 * Rust-core connection for Workers (`Worker.create({ connection, namespace, ... })`).
 * `namespace` is optional (a connection serves any namespace); when given it is checked to exist.
 */
export async function connectWorkerNative(
  cfg: Omit<TemporalConnectionConfig, 'namespace'> & { namespace?: string },
  opts: ConnectRetryOptions & {
    nativeOptions?: Omit<NativeConnectionOptions, 'address' | 'tls' | 'apiKey'>;
  } = {},
): Promise<NativeConnection> {
  return withConnectRetry('worker', cfg, opts, async () => {
    const conn = await NativeConnection.connect({
      ...opts.nativeOptions,
      address: cfg.address,
      tls: useTls(cfg),
      apiKey: cfg.apiKey,
    });
    try {
      if (cfg.namespace) await checkNamespace(conn.workflowService, cfg.namespace);
      return conn;
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  });
}

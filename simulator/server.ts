import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleChatCompletion } from './completions';
import { errorBody, ScheduleError } from './faults';
import { parseJson, readBody, sendJson } from './http-util';
import { LimitsError } from './limits';
import { SimState } from './state';
import type { FaultSchedule, SimLimits, SimStats, Simulator, SimulatorOptions } from './types';

export type {
  FaultKind,
  FaultRule,
  FaultSchedule,
  SimLimits,
  SimStats,
  Simulator,
  SimulatorOptions,
} from './types';

// The OpenAI-compatible simulator: the one test double Quillflow allows. Everything reaches it
// over real HTTP with the real `openai` SDK / LangChain clients, so retries, timeouts, stream
// parsing and error mapping are exercised exactly as they would be against a provider.

const MODEL_CREATED = 1_700_000_000;

function modelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: MODEL_CREATED, owned_by: 'quillflow-simulator' };
}

function notFound(res: ServerResponse, method: string, path: string): void {
  sendJson(res, 404, errorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error', null));
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return text.trim() === '' ? {} : parseJson(text);
}

async function route(
  state: SimState,
  startedAt: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  // Accept both /v1/... and bare /... so a base URL configured without /v1 still works.
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  const apiPath = path.startsWith('/v1/') ? path.slice(3) : path;

  if (path.startsWith('/_sim/')) return control(state, method, path, req, res);

  state.stats.countPath(path);
  if (method === 'POST' && apiPath === '/chat/completions') {
    return handleChatCompletion(state, req, res, path);
  }
  if (method === 'GET' && apiPath === '/models') {
    return sendJson(res, 200, { object: 'list', data: state.models.map(modelObject) });
  }
  if (method === 'GET' && apiPath.startsWith('/models/')) {
    return sendJson(res, 200, modelObject(decodeURIComponent(apiPath.slice('/models/'.length))));
  }
  if (method === 'GET' && path === '/health') {
    return sendJson(res, 200, {
      status: 'ok',
      simulator: true,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    });
  }
  return notFound(res, method, path);
}

async function control(
  state: SimState,
  method: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (method === 'GET' && path === '/_sim/stats') return sendJson(res, 200, state.stats.snapshot());
  if (method === 'POST' && path === '/_sim/reset') {
    state.reset();
    return sendJson(res, 200, { ok: true });
  }
  if (method === 'GET' && path === '/_sim/faults')
    return sendJson(res, 200, { rules: state.faults.snapshot() });
  if (method === 'POST' && path === '/_sim/faults') {
    try {
      state.faults.set((await readJsonBody(req)) as FaultSchedule);
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      return sendJson(res, 400, errorBody(err.message, 'invalid_request_error', null));
    }
    return sendJson(res, 200, { rules: state.faults.snapshot() });
  }
  if (method === 'GET' && path === '/_sim/limits') return sendJson(res, 200, state.limiter.get());
  if (method === 'POST' && path === '/_sim/limits') {
    try {
      state.limiter.set((await readJsonBody(req)) as SimLimits);
    } catch (err) {
      if (!(err instanceof LimitsError)) throw err;
      return sendJson(res, 400, errorBody(err.message, 'invalid_request_error', null));
    }
    return sendJson(res, 200, state.limiter.get());
  }
  if (method === 'GET' && path === '/_sim/latency') {
    return sendJson(res, 200, { latencyMs: state.latencyMs, jitterMs: state.jitterMs });
  }
  if (method === 'POST' && path === '/_sim/latency') {
    const body = (await readJsonBody(req)) as
      { latencyMs?: unknown; jitterMs?: unknown } | undefined;
    const valid = (v: unknown): v is number =>
      typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (!body || !valid(body.latencyMs) || (body.jitterMs !== undefined && !valid(body.jitterMs))) {
      return sendJson(
        res,
        400,
        errorBody(
          'body must be {"latencyMs": number >= 0, "jitterMs"?: number >= 0}',
          'invalid_request_error',
          null,
        ),
      );
    }
    state.latencyMs = body.latencyMs;
    if (body.jitterMs !== undefined) state.jitterMs = body.jitterMs;
    return sendJson(res, 200, { latencyMs: state.latencyMs, jitterMs: state.jitterMs });
  }
  return notFound(res, method, path);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const state = new SimState(opts);
  const startedAt = Date.now();
  const server = createServer((req, res) => {
    route(state, startedAt, req, res).catch((err: unknown) => {
      // A bug in the simulator must show up as a 500 the test can see, not a hung request.
      if (!res.headersSent) {
        sendJson(
          res,
          500,
          errorBody(`simulator internal error: ${String(err)}`, 'server_error', null),
        );
      } else {
        res.destroy();
      }
    });
  });
  // Like a provider behind a load balancer: idle connections live about a minute. Node's 5 s
  // default races clients that reuse a socket just as the server drops it (ECONNRESET before
  // the request is read), an attempt the provider never saw.
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? '127.0.0.1';
  await listen(server, opts.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        // Release held (`timeout`) and sleeping requests, then drop keep-alive sockets so
        // close() returns promptly instead of waiting for clients to hang up.
        state.closing.abort();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
    stats: (): SimStats => state.stats.snapshot(),
    reset: (): void => state.reset(),
    setFaults: (schedule: FaultSchedule): void => state.faults.set(schedule),
    setLimits: (limits: SimLimits): void => state.limiter.set(limits),
    setLatency: (ms: number, jitterMs?: number): void => {
      state.latencyMs = ms;
      if (jitterMs !== undefined) state.jitterMs = jitterMs;
    },
  };
}

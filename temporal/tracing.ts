/**
 * OpenTelemetry tracing through Temporal's interceptors, off unless OTEL_ENABLED=true.
 *
 * On: spans for workflow starts/signals/updates/queries in the API (client interceptor), and
 * for workflow executions, activities and child workflows in the worker (OpenTelemetryPlugin:
 * workflow interceptors in the bundle + a sink exporting workflow spans), linked through
 * Temporal headers with W3C trace context, so one trace runs from the HTTP request to the LLM
 * call. Exported with OTLP/HTTP (the exporter reads the standard OTEL_EXPORTER_OTLP_* variables)
 * or to the console (OTEL_TRACES_EXPORTER=console).
 *
 * The OTel SDK parts are loaded at run time and only when tracing is on: the span SDK ships with
 * @temporalio/interceptors-opentelemetry; the OTLP exporter is an optional package
 * (@opentelemetry/exporter-trace-otlp-http). When a part is missing, tracing stays off and the
 * log says which package to install.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import {
  context,
  type Context,
  type ContextManager,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerPlugin } from '@temporalio/worker';
import type { Env } from '../common/config';

type SdkTraceBase = typeof import('@opentelemetry/sdk-trace-base');
type SpanExporter = import('@opentelemetry/sdk-trace-base').SpanExporter;
type SpanProcessor = import('@opentelemetry/sdk-trace-base').SpanProcessor;
type Resource = import('@opentelemetry/resources').Resource;

export const OTLP_EXPORTER_PACKAGE = '@opentelemetry/exporter-trace-otlp-http';

export interface Tracing {
  serviceName: string;
  exporter: 'otlp' | 'console' | 'custom';
  /** For the Temporal Client of the API / MCP: spans around starts, signals, updates, queries. */
  clientInterceptors(): ClientInterceptors;
  /** For Worker.create: activity/workflow interceptors and the workflow span sink. */
  workerPlugins(): WorkerPlugin[];
  /** Flushes pending spans and unregisters the global provider. */
  shutdown(): Promise<void>;
}

interface TracingLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const load = createRequire(__filename);

function optional<T>(name: string): T | undefined {
  try {
    return load(name) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/** Context propagation across awaits (what @opentelemetry/context-async-hooks provides). */
export class AsyncLocalStorageContextManager implements ContextManager {
  private storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }

  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    const run = (thisArg: unknown, args: unknown[]) =>
      this.with(ctx, () => fn.apply(thisArg, args));
    return function (this: unknown, ...args: unknown[]) {
      return run(this, args);
    } as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    this.storage = new AsyncLocalStorage<Context>();
    return this;
  }
}

/**
 * Sets up tracing for one process when `env.OTEL_ENABLED`; undefined when off or when a needed
 * package is missing (logged). `exporter` replaces the configured one (tests).
 */
export function setupTracing(
  env: Pick<Env, 'OTEL_ENABLED' | 'OTEL_TRACES_EXPORTER' | 'OTEL_SERVICE_NAME'>,
  defaultServiceName: string,
  log: TracingLog,
  opts: { exporter?: SpanExporter } = {},
): Tracing | undefined {
  if (!env.OTEL_ENABLED) return undefined;
  const sdk = optional<SdkTraceBase>('@opentelemetry/sdk-trace-base');
  const resources = optional<
    typeof import('@opentelemetry/resources') & {
      resourceFromAttributes?: (a: Record<string, string>) => Resource;
    }
  >('@opentelemetry/resources');
  const core = optional<typeof import('@opentelemetry/core')>('@opentelemetry/core');
  if (!sdk || !resources || !core) {
    log.warn(
      {
        missing: [
          '@opentelemetry/sdk-trace-base',
          '@opentelemetry/resources',
          '@opentelemetry/core',
        ],
      },
      'OTEL_ENABLED=true but the OpenTelemetry SDK is not installed: tracing stays off',
    );
    return undefined;
  }

  let exporter: SpanExporter;
  let kind: Tracing['exporter'];
  if (opts.exporter) {
    [exporter, kind] = [opts.exporter, 'custom'];
  } else if (env.OTEL_TRACES_EXPORTER === 'console') {
    [exporter, kind] = [new sdk.ConsoleSpanExporter(), 'console'];
  } else {
    const otlp = optional<{ OTLPTraceExporter: new () => SpanExporter }>(OTLP_EXPORTER_PACKAGE);
    if (!otlp) {
      log.warn(
        { missing: [OTLP_EXPORTER_PACKAGE] },
        `OTEL_ENABLED=true but ${OTLP_EXPORTER_PACKAGE} is not installed: tracing stays off (install it, or set OTEL_TRACES_EXPORTER=console)`,
      );
      return undefined;
    }
    // Reads OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / *_HEADERS itself.
    [exporter, kind] = [new otlp.OTLPTraceExporter(), 'otlp'];
  }

  const serviceName = env.OTEL_SERVICE_NAME ?? defaultServiceName;
  const attributes = { 'service.name': serviceName };
  const resource = resources.resourceFromAttributes
    ? resources.resourceFromAttributes(attributes)
    : new resources.Resource(attributes);
  const spanProcessor: SpanProcessor =
    kind === 'otlp' ? new sdk.BatchSpanProcessor(exporter) : new sdk.SimpleSpanProcessor(exporter);
  const provider = new sdk.BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  const contextManager = new AsyncLocalStorageContextManager();

  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  );
  log.info({ serviceName, exporter: kind }, 'OpenTelemetry tracing on');

  // Loaded here, not at the top, so a process with tracing off never loads the interceptors package.
  const interceptors = load(
    '@temporalio/interceptors-opentelemetry',
  ) as typeof import('@temporalio/interceptors-opentelemetry');
  return {
    serviceName,
    exporter: kind,
    clientInterceptors: () => ({
      workflow: [new interceptors.OpenTelemetryWorkflowClientInterceptor()],
    }),
    workerPlugins: () => [new interceptors.OpenTelemetryPlugin({ resource, spanProcessor })],
    async shutdown() {
      await provider.forceFlush().catch(() => undefined);
      await provider.shutdown().catch(() => undefined);
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

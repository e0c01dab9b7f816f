import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  OpenTelemetryPlugin,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { loadConfig } from '../common/config';
import { OTLP_EXPORTER_PACKAGE, setupTracing } from './tracing';

function logCapture() {
  const lines: Array<{ level: string; obj: object; msg: string }> = [];
  return {
    lines,
    info: (obj: object, msg: string) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg: string) => void lines.push({ level: 'warn', obj, msg }),
  };
}

function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

describe('setupTracing', () => {
  it('is off by default and touches no global', () => {
    const log = logCapture();
    expect(setupTracing(loadConfig({}).env, 'quillflow-test', log)).toBeUndefined();
    expect(log.lines).toEqual([]);
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
  });

  it('when on: records nested spans, propagates W3C trace context, and builds the Temporal hooks', async () => {
    const exporter = new InMemorySpanExporter();
    const log = logCapture();
    const env = loadConfig({ OTEL_ENABLED: 'true', OTEL_SERVICE_NAME: 'qf-spec' }).env;
    const tracing = setupTracing(env, 'quillflow-test', log, { exporter })!;
    try {
      expect(tracing).toBeDefined();
      expect(tracing.serviceName).toBe('qf-spec');
      const tracer = trace.getTracer('spec');
      const headers: Record<string, string> = {};
      await tracer.startActiveSpan('outer', async (outer) => {
        await new Promise((r) => setTimeout(r, 1));
        // The active span survives an await (AsyncLocalStorage context manager) ...
        tracer.startSpan('inner').end();
        // ... and goes into outgoing headers, as the Temporal interceptors do.
        propagation.inject(context.active(), headers);
        outer.end();
      });
      const spans = exporter.getFinishedSpans();
      const outer = spans.find((s) => s.name === 'outer')!;
      const inner = spans.find((s) => s.name === 'inner')!;
      expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
      expect(
        inner.parentSpanId ??
          (inner as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext
            ?.spanId,
      ).toBe(outer.spanContext().spanId);
      expect(outer.resource.attributes['service.name']).toBe('qf-spec');
      expect(headers.traceparent).toContain(outer.spanContext().traceId);
      // bind(): a callback runs in the context it was bound to, wherever it is called from.
      const span = tracer.startSpan('bound');
      const bound = context.bind(trace.setSpan(context.active(), span), () =>
        trace.getActiveSpan(),
      );
      expect(bound()).toBe(span);
      span.end();
      expect(trace.getActiveSpan()).toBeUndefined();

      expect(tracing.clientInterceptors().workflow).toEqual([
        expect.any(OpenTelemetryWorkflowClientInterceptor),
      ]);
      expect(tracing.workerPlugins()).toEqual([expect.any(OpenTelemetryPlugin)]);
      expect(log.lines).toEqual([
        expect.objectContaining({ level: 'info', msg: 'OpenTelemetry tracing on' }),
      ]);
    } finally {
      await tracing.shutdown();
    }
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
  });

  it('the OTLP exporter is used when installed; otherwise tracing stays off and the log names the package', async () => {
    const log = logCapture();
    const tracing = setupTracing(loadConfig({ OTEL_ENABLED: 'true' }).env, 'quillflow-test', log);
    if (installed(OTLP_EXPORTER_PACKAGE)) {
      expect(tracing?.exporter).toBe('otlp');
      await tracing?.shutdown();
    } else {
      expect(tracing).toBeUndefined();
      expect(log.lines).toEqual([
        expect.objectContaining({ level: 'warn', obj: { missing: [OTLP_EXPORTER_PACKAGE] } }),
      ]);
    }
  });
});

/**
 * What the API process's own runtime did during a measurement, read from its Prometheus
 * endpoint (prom-client's default metrics): garbage-collection pauses by kind and the event
 * loop's delay. A p99 that one run misses and the next meets is told apart from the request's
 * own work this way: a stall of the whole process shows in the loop's maximum delay.
 */
import { httpJson } from './harness';
import { round } from './stats';

/** metric{labels} -> value, from the text exposition format. */
type Samples = Map<string, number>;

function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    // Without the registry's default label (service="api"), so keys read as below.
    const key = line
      .slice(0, at)
      .replace(/,?service="[^"]*"/, '')
      .replace(/\{,/, '{')
      .replace('{}', '');
    out.set(key, Number(line.slice(at + 1)));
  }
  return out;
}

export interface ApiRuntime {
  /** GC pauses in the window, by kind: how many, their total and how many took over 10 ms. */
  gc: Record<string, { count: number; totalMs: number; over10ms: number }>;
  /** The event loop's delay in the window (monitorEventLoopDelay; reset at each scrape). */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

/** Starts a window (the scrape resets the loop-delay histogram); `end()` reads it. */
export async function apiRuntimeWindow(apiUrl: string): Promise<{ end(): Promise<ApiRuntime> }> {
  const scrape = async (): Promise<Samples> => {
    const r = await httpJson(apiUrl, 'GET', '/metrics');
    if (r.status !== 200 || typeof r.body !== 'string')
      throw new Error(`GET /metrics answered ${r.status}`);
    return parse(r.body);
  };
  const before = await scrape();
  return {
    async end() {
      const after = await scrape();
      const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
      const gc: ApiRuntime['gc'] = {};
      for (const key of after.keys()) {
        const kind = /^nodejs_gc_duration_seconds_count\{kind="(\w+)"\}$/.exec(key)?.[1];
        if (!kind) continue;
        const count = delta(key);
        if (count === 0) continue;
        gc[kind] = {
          count,
          totalMs: round(delta(`nodejs_gc_duration_seconds_sum{kind="${kind}"}`) * 1000, 1),
          over10ms: count - delta(`nodejs_gc_duration_seconds_bucket{le="0.01",kind="${kind}"}`),
        };
      }
      const lag = (name: string) =>
        round((after.get(`nodejs_eventloop_lag_${name}_seconds`) ?? NaN) * 1000, 1);
      return { gc, eventLoopDelayMs: { p50: lag('p50'), p99: lag('p99'), max: lag('max') } };
    },
  };
}

export function describeApiRuntime(r: ApiRuntime): string {
  const gc = Object.entries(r.gc)
    .map(([k, v]) => `${k} ${v.count}× ${v.totalMs} ms (${v.over10ms} over 10 ms)`)
    .join(', ');
  const d = r.eventLoopDelayMs;
  return `API event-loop delay p50 ${d.p50} / p99 ${d.p99} / max ${d.max} ms; GC ${gc || 'none'}`;
}

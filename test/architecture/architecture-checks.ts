/**
 * Comparisons of docs/ARCHITECTURE.md's reference tables with facts read from the code
 * (architecture-facts.ts). Pure: each check takes the document's text and the facts and returns
 * its problems, so test/architecture/architecture.spec.ts runs it on the document and on
 * deliberately wrong fixture tables alike.
 */
import { isDeepStrictEqual } from 'node:util';
import type { RunSettings } from '../../common/workflow-types';
import {
  cellValue,
  codeSpans,
  fencedBlocks,
  proseLines,
  inlineText,
  referenceRows,
  type Row,
  tableRow,
} from './architecture-doc';
import type {
  ActivityOptionsFacts,
  EnvReadFact,
  ErrorFacts,
  MetricFact,
  PortVariableFact,
  RouteFact,
  SearchAttributeFacts,
} from './architecture-facts';

export interface Listed {
  key: string;
  row: Row;
}

/**
 * Both directions of one reference table. `code` maps each key to a row to paste when the
 * document lacks it.
 */
export function compare(section: string, code: Map<string, string>, doc: Listed[]): string[] {
  const problems: string[] = [];
  const docKeys = new Map<string, Row>();
  for (const d of doc) {
    if (docKeys.has(d.key))
      problems.push(
        `${section}: "${d.key}" is listed twice (line ${docKeys.get(d.key)!.__line} and ${d.row.__line})`,
      );
    docKeys.set(d.key, d.row);
  }
  const missing = [...code.keys()].filter((k) => !docKeys.has(k));
  if (missing.length) {
    problems.push(
      `${section}: in the code but not in docs/ARCHITECTURE.md (<!-- ref:${section} -->), add:\n` +
        missing.map((k) => `    ${code.get(k)}`).join('\n'),
    );
  }
  const gone = [...docKeys.entries()].filter(([k]) => !code.has(k));
  if (gone.length) {
    problems.push(
      `${section}: listed in docs/ARCHITECTURE.md but not in the code, remove or fix:\n` +
        gone.map(([k, r]) => `    line ${r.__line}: ${k}`).join('\n'),
    );
  }
  return problems;
}

/** Every code span of `column` in every row, as a key. */
function spansOf(rows: Row[], column: string): Listed[] {
  return rows.flatMap((row) => codeSpans(row[column]).map((key) => ({ key, row })));
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  isDeepStrictEqual([...new Set(a)].sort(), [...new Set(b)].sort());

// ---------------------------------------------------------------------------------------------
// Activity options: durations written as formulas over the run's settings

/** The names a duration formula may use, in milliseconds (`calls` is a count). */
export interface DurationVariables {
  OPENAI_TIMEOUT: number;
  wait: number;
  calls: number;
}

/**
 * Evaluates `OPENAI_TIMEOUT × calls + wait + 10 s` (terms joined by `+`, factors by `×`; numbers
 * with `ms`, `s` or `min`, or bare counts), in ms; `—` is undefined. Throws on anything else.
 */
export function evalDuration(text: string, vars: DurationVariables): number | undefined {
  const t = text.trim();
  if (t === '—' || t === '') return undefined;
  let total = 0;
  for (const term of t.split('+')) {
    let product = 1;
    for (const factor of term.split('×').map((f) => f.trim())) {
      const n = /^(\d+(?:\.\d+)?)(?:\s*(ms|s|min))?$/.exec(factor);
      if (n) product *= Number(n[1]) * ({ ms: 1, s: 1000, min: 60_000 }[n[2] ?? ''] ?? 1);
      else if (Object.keys(vars).includes(factor))
        product *= Object.entries(vars).find(([k]) => k === factor)?.[1] ?? NaN;
      else
        throw new Error(
          `"${factor}" is not a number with a unit or one of ${Object.keys(vars).join(', ')}`,
        );
    }
    total += product;
  }
  return total;
}

/** Two unrelated samples, so a formula cannot match the code by coincidence. */
const SAMPLE_RUNS: { settings: RunSettings; calls: number }[] = [
  {
    settings: {
      retry: {
        enabled: true,
        maximumAttempts: 5,
        initialIntervalMs: 1300,
        maximumIntervalMs: 17_000,
        backoffCoefficient: 3,
      },
      llmTimeoutMs: 7_000,
      providerWaitMs: 11_000,
    },
    calls: 3,
  },
  {
    settings: {
      retry: {
        enabled: false,
        maximumAttempts: 4,
        initialIntervalMs: 700,
        maximumIntervalMs: 29_000,
        backoffCoefficient: 2,
      },
      llmTimeoutMs: 19_000,
      providerWaitMs: 23_000,
    },
    calls: 5,
  },
];

const seconds = (span: string | undefined): number | undefined => {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)$/.exec(span ?? '');
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : undefined;
};

/**
 * `<!-- ref:activity-options -->`: one row per exported `...Options` of
 * workflows/activity-options.ts; start-to-close and heartbeat as formulas, evaluated on sample
 * settings against the code; retry either `RETRY_*` (the LLM policy from the RETRY_* settings) or
 * "unlimited" / a count with `initial`, `maximum` and `coefficient` spans.
 */
export function checkActivityOptions(md: string, facts: ActivityOptionsFacts): string[] {
  const rows = referenceRows(md, 'activity-options');
  const problems = compare(
    'activity-options',
    new Map(
      [...facts.options.keys()].map((k) => [
        k,
        tableRow([`\`${k}\``, 'TODO', 'TODO', 'TODO', 'TODO: used by']),
      ]),
    ),
    rows.map((row) => ({ key: cellValue(row.options), row })),
  );
  for (const row of rows) {
    const name = cellValue(row.options);
    const at = facts.options.get(name);
    if (!at) continue;
    const where = `activity-options, line ${row.__line} (${name})`;
    for (const { settings, calls } of SAMPLE_RUNS) {
      const vars = {
        OPENAI_TIMEOUT: settings.llmTimeoutMs,
        wait: settings.providerWaitMs ?? 0,
        calls,
      };
      const code = at(settings, calls);
      const sample = `OPENAI_TIMEOUT ${vars.OPENAI_TIMEOUT} ms, wait ${vars.wait} ms, calls ${calls}`;
      for (const [column, value] of [
        ['start-to-close', code.startToCloseMs],
        ['heartbeat', code.heartbeatMs],
      ] as const) {
        let doc: number | undefined;
        try {
          doc = evalDuration(cellValue(row[column]), vars);
        } catch (err) {
          problems.push(`${where}: ${column}: ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
        if (doc !== value)
          problems.push(
            `${where}: ${column} "${cellValue(row[column])}" gives ${doc ?? 'none'} ms, the code ${value ?? 'none'} ms (${sample})`,
          );
      }
      const spans = codeSpans(row.retry);
      if (spans.includes('RETRY_*')) {
        if (!isDeepStrictEqual(code.retry, facts.llmRetryPolicy(settings.retry)))
          problems.push(
            `${where}: retry says RETRY_*, but the code's policy is not llmRetryPolicy(RETRY_*)`,
          );
      } else {
        const r = code.retry ?? {};
        const unlimited = /unlimited/i.test(row.retry ?? '');
        const attempts = r.maximumAttempts ?? 0;
        if (unlimited !== (attempts === 0))
          problems.push(
            `${where}: retry says ${unlimited ? 'unlimited' : 'limited'} attempts, the code's maximum is ${attempts || 'unlimited'}`,
          );
        const [initial, maximum, coefficient] = spans;
        if (
          seconds(initial) !== r.initialInterval ||
          seconds(maximum) !== r.maximumInterval ||
          Number(coefficient) !== r.backoffCoefficient
        )
          problems.push(
            `${where}: retry "${inlineText(row.retry ?? '')}" is not initial ${String(r.initialInterval)} ms, maximum ${String(r.maximumInterval)} ms, coefficient ${String(r.backoffCoefficient)}`,
          );
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Error classification: the "provider answer" spans are run through the classifier

/**
 * The errors a probe stands for: `400` (a status), `5xx` (500, 502, 503), `429 insufficient_quota`
 * (a status and an error code), `SyntaxError` / `...Error` (an error of that name), anything
 * else an Error with that message (`ECONNRESET`, `Request timed out.`).
 */
export function probeErrors(probe: string): { status?: number; err: unknown }[] {
  const fields = (o: Record<string, string | number>) => Object.assign(new Error('probe'), o);
  let m: RegExpExecArray | null;
  if ((m = /^(\d{3})$/.exec(probe)))
    return [{ status: Number(m[1]), err: fields({ status: Number(m[1]) }) }];
  if ((m = /^(\d)xx$/.exec(probe))) {
    const hundreds = Number(m[1]) * 100;
    return [0, 2, 3].map((d) => ({ status: hundreds + d, err: fields({ status: hundreds + d }) }));
  }
  if ((m = /^(\d{3}) ([a-z_]+)$/.exec(probe)))
    return [{ status: Number(m[1]), err: fields({ status: Number(m[1]), code: m[2] }) }];
  if (probe === 'SyntaxError') return [{ err: new SyntaxError('probe') }];
  if (/^[A-Z]\w*Error$/.test(probe)) return [{ err: fields({ name: probe }) }];
  return [{ err: new Error(probe) }];
}

/** Pairs a row's items: one applies to all, or as many as there are, in order. */
function pair<T>(what: string, items: T[], n: number): T[] | string {
  if (items.length === 1) return Array<T>(n).fill(items[0]);
  if (items.length === n) return items;
  return `${items.length} ${what} for ${n} probes/types: give one, or one each`;
}

/**
 * `<!-- ref:errors -->`: every failure type the LLM call path can produce, each probe of a row
 * classified by the code as the row's type with the row's retry answer, and the API's status for
 * a run that failed with it.
 */
export function checkErrors(md: string, facts: ErrorFacts): string[] {
  const rows = referenceRows(md, 'errors');
  const problems = compare(
    'errors',
    new Map(
      facts.types.map((t) => [t, tableRow(['TODO: provider answer', `\`${t}\``, 'TODO', 'TODO'])]),
    ),
    spansOf(rows, 'failure type'),
  );
  for (const row of rows) {
    const where = `errors, line ${row.__line}`;
    const types = codeSpans(row['failure type']);
    const probes = codeSpans(row['provider answer']);
    const retried = /^yes\b/i.test(inlineText(row.retried ?? ''));
    const concrete = (type: string, status?: number) =>
      type.replace(/<\w+>/, String(status ?? 418));
    if (probes.length) {
      const paired = pair('failure types', types, probes.length);
      if (typeof paired === 'string') problems.push(`${where}: ${paired}`);
      else
        probes.forEach((probe, i) => {
          for (const { status, err } of probeErrors(probe)) {
            const c = facts.classify(err);
            const want = concrete(paired[i], status);
            if (c.type !== want)
              problems.push(
                `${where}: the code classifies "${probe}"${status ? ` (${status})` : ''} as ${c.type}, not ${want}`,
              );
            else if (c.retryable !== retried)
              problems.push(
                `${where}: ${want} is ${c.retryable ? '' : 'not '}retried by the code; the row says ${retried ? 'yes' : 'no'}`,
              );
          }
        });
    }
    const statuses = codeSpans(row['api answer']);
    const pairedStatus = pair('API answers', statuses, types.length);
    if (typeof pairedStatus === 'string') problems.push(`${where}: ${pairedStatus}`);
    else
      types.forEach((type, i) => {
        const status = facts.apiStatus(concrete(type));
        if (String(status) !== pairedStatus[i])
          problems.push(
            `${where}: a run failed with ${type} answers ${status}, not ${pairedStatus[i]}`,
          );
      });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

/** `<!-- ref:search-attributes -->`: every attribute with its type, and the closed value sets. */
export function checkSearchAttributes(md: string, facts: SearchAttributeFacts): string[] {
  const rows = referenceRows(md, 'search-attributes');
  const problems = compare(
    'search-attributes',
    new Map(
      facts.attributes.map((a) => [a.name, tableRow([`\`${a.name}\``, a.type, 'TODO: set on'])]),
    ),
    spansOf(rows, 'attribute'),
  );
  for (const row of rows) {
    for (const name of codeSpans(row.attribute)) {
      const a = facts.attributes.find((x) => x.name === name);
      if (!a) continue;
      const where = `search-attributes, line ${row.__line} (${name})`;
      if (cellValue(row.type) !== a.type)
        problems.push(`${where}: type is ${a.type}, not "${cellValue(row.type)}"`);
      const values = facts.values[name];
      if (values && !sameSet(codeSpans(row['set on']), values))
        problems.push(
          `${where}: values are ${values.map((v) => `\`${v}\``).join(', ')}; the row shows ${codeSpans(row['set on']).join(', ') || 'none'}`,
        );
    }
  }
  return problems;
}

/** `<!-- ref:metrics -->`: every quillflow_* metric, where it is served and its labels. */
export function checkMetrics(md: string, metrics: MetricFact[]): string[] {
  const rows = referenceRows(md, 'metrics');
  const listed = spansOf(rows, 'metric').filter((l) => l.key.startsWith('quillflow_'));
  const problems = compare(
    'metrics',
    new Map(
      metrics.map((m) => [
        m.name,
        tableRow([
          `\`${m.name}\``,
          m.from === 'api' ? 'API `/metrics`' : 'worker app metrics',
          m.labels.map((l) => `\`${l}\``).join(', '),
        ]),
      ]),
    ),
    listed,
  );
  for (const { key, row } of listed) {
    const m = metrics.find((x) => x.name === key);
    if (!m) continue;
    const where = `metrics, line ${row.__line} (${key})`;
    if (!sameSet(codeSpans(row.labels), m.labels))
      problems.push(
        `${where}: labels are ${m.labels.map((l) => `\`${l}\``).join(', ')}; the row shows ${codeSpans(row.labels).join(', ') || 'none'}`,
      );
    const from = inlineText(row.from ?? '');
    const api = /\bAPI\b/.test(from);
    const worker = /\bworker\b/i.test(from);
    if (api !== (m.from === 'api') || worker !== (m.from === 'worker'))
      problems.push(
        `${where}: served by the ${m.from === 'api' ? "API's /metrics" : "worker's app metrics"}, the row says "${from}"`,
      );
  }
  return problems;
}

/**
 * `<!-- ref:ports -->`: every variable that sets a port, and each row's port is a default of the
 * variables it names (the configuration schema, a fallback where the code reads it, or
 * docker-compose.yml), or appears in the files it names.
 */
export function checkPorts(
  md: string,
  variables: PortVariableFact[],
  file: (relative: string) => string | undefined,
): string[] {
  const rows = referenceRows(md, 'ports');
  const problems: string[] = [];
  const named = new Set<string>();
  for (const row of rows) {
    const port = cellValue(row.port);
    const where = `ports, line ${row.__line} (${port})`;
    const spans = codeSpans(row['set by']);
    if (!spans.length) problems.push(`${where}: "set by" names no variable or file`);
    for (const s of spans) {
      if (/^[A-Z][A-Z0-9_]*$/.test(s)) {
        named.add(s);
        const v = variables.find((x) => x.name === s);
        if (!v) problems.push(`${where}: ${s} is not a port variable the code reads`);
        else if (!v.defaults.includes(port))
          problems.push(
            `${where}: ${s} defaults to ${v.defaults.join(' / ') || 'nothing'}, not ${port}`,
          );
      } else {
        const text = file(s);
        if (text === undefined) problems.push(`${where}: no file ${s}`);
        else if (!new RegExp(`\\b${port}\\b`).test(text))
          problems.push(`${where}: ${s} does not contain ${port}`);
      }
    }
  }
  const missing = variables.filter((v) => !named.has(v.name));
  if (missing.length)
    problems.push(
      `ports: port variables of the code that docs/ARCHITECTURE.md (<!-- ref:ports -->) does not name, add:\n` +
        missing
          .map(
            (v) =>
              `    ${tableRow([`\`${v.defaults[0] ?? 'TODO'}\``, 'TODO: server', `\`${v.name}\``])}`,
          )
          .join('\n'),
    );
  return problems;
}

/**
 * `<!-- ref:stack -->`: each row's "packages" cell is pairs of code spans, a name and its version.
 * With source `package.json` the version is the range package.json declares for it (`node`:
 * engines.node); otherwise it appears verbatim in the file the source names.
 */
export function checkStack(
  md: string,
  packages: Record<string, string>,
  file: (relative: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  for (const row of referenceRows(md, 'stack')) {
    const spans = codeSpans(row.packages);
    const source = cellValue(row.source);
    if (!spans.length || spans.length % 2)
      problems.push(`stack, line ${row.__line}: "packages" must be pairs of \`name\` \`version\``);
    for (let i = 0; i + 1 < spans.length; i += 2) {
      const [pkg, version] = [spans[i], spans[i + 1]];
      const where = `stack, line ${row.__line} (${pkg})`;
      if (source === 'package.json') {
        if (!(pkg in packages))
          problems.push(`${where}: not a dependency (or engine) in package.json`);
        else if (packages[pkg] !== version)
          problems.push(`${where}: package.json has ${packages[pkg]}, not ${version}`);
      } else {
        const text = file(source);
        if (text === undefined) problems.push(`${where}: no file ${source}`);
        else if (!text.includes(version))
          problems.push(`${where}: ${source} does not contain "${version}"`);
      }
    }
  }
  return problems;
}

/** `<!-- ref:env-other -->`: every variable read outside the schema, with the files that read it. */
export function checkOtherEnv(md: string, other: EnvReadFact[]): string[] {
  const rows = referenceRows(md, 'env-other');
  const problems = compare(
    'env-other',
    new Map(
      other.map((o) => [
        o.name,
        tableRow([`\`${o.name}\``, o.files.map((f) => `\`${f}\``).join(', '), 'TODO: meaning']),
      ]),
    ),
    spansOf(rows, 'variable'),
  );
  for (const row of rows) {
    const read = other.filter((o) => codeSpans(row.variable).includes(o.name));
    if (!read.length) continue;
    const files = read.flatMap((o) => o.files);
    if (!sameSet(codeSpans(row['read by']), files))
      problems.push(
        `env-other, line ${row.__line}: read by ${[...new Set(files)]
          .sort()
          .map((f) => `\`${f}\``)
          .join(', ')}; the row shows ${codeSpans(row['read by']).join(', ')}`,
      );
  }
  return problems;
}

/**
 * The document's ```dotenv examples: every variable is one the code knows, and `load` (the
 * configuration loader) accepts each example as a whole.
 */
export function checkEnvExamples(
  md: string,
  known: ReadonlySet<string>,
  load: (env: Record<string, string>) => void,
): string[] {
  const problems: string[] = [];
  const blocks = fencedBlocks(md, 'dotenv');
  if (!blocks.length) problems.push('no ```dotenv example');
  for (const b of blocks) {
    const env: Record<string, string> = {};
    b.text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (!m)
        return void problems.push(
          `dotenv example, line ${b.line + i + 1}: not NAME=value: ${line}`,
        );
      if (!known.has(m[1]))
        problems.push(
          `dotenv example, line ${b.line + i + 1}: ${m[1]} is not a variable the code reads`,
        );
      env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
    });
    try {
      load(env);
    } catch (err) {
      problems.push(
        `dotenv example at line ${b.line}: the configuration does not load: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return problems;
}

/** The repository's source folders: a code span starting with one of them names a file or folder. */
const SOURCE_PATH =
  /^(?:api|activities|bench|common|docker|mcp|prisma|scripts|simulator|temporal|test|web\/src|workers|workflows)\/[\w./-]*$/;

/**
 * Every source file or folder the document names in a code span (`api/http/cors.ts`,
 * `test/architecture/`) exists, so a file moved or renamed shows here. `exists` answers for a
 * path relative to the repository.
 */
export function checkNamedPaths(md: string, exists: (relative: string) => boolean): string[] {
  const problems: string[] = [];
  for (const { line, text } of proseLines(md)) {
    for (const span of codeSpans(text)) {
      if (SOURCE_PATH.test(span) && !exists(span))
        problems.push(`line ${line}: \`${span}\` does not exist`);
    }
  }
  return problems;
}

/**
 * `<!-- ref:conventions -->`: the "idempotency" row names (as `POST /path` spans) exactly the
 * routes whose OpenAPI operation takes an `Idempotency-Key` header.
 */
export function checkIdempotentRoutes(
  md: string,
  routes: readonly Pick<RouteFact, 'method' | 'path' | 'idempotencyKey'>[],
): string[] {
  const row = referenceRows(md, 'conventions').find(
    (r) => cellValue(r.convention) === 'idempotency',
  );
  if (!row) return ['conventions: no "idempotency" row'];
  const listed = codeSpans(row.behaviour).filter((c) => /^(GET|POST|PUT|PATCH|DELETE) \//.test(c));
  const code = routes.filter((r) => r.idempotencyKey).map((r) => `${r.method} ${r.path}`);
  return sameSet(listed, code)
    ? []
    : [
        `conventions, line ${row.__line}: the routes that take Idempotency-Key are ${code.map((c) => `\`${c}\``).join(', ')}; the row names ${listed.join(', ') || 'none'}`,
      ];
}

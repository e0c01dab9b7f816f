/**
 * Keeps docs/ARCHITECTURE.md true to the code. No servers: everything is read from the code.
 *
 * Compared in both directions (in the code but not in the document, and listed in the document
 * but gone from the code), through the document's reference tables, delimited by
 * `<!-- ref:NAME -->` ... `<!-- /ref:NAME -->`:
 *  - routes: every route the API process registers, read from Express's router after building
 *    the real app with createApiApp (stand-in Temporal/Prisma clients that are never called),
 *    plus the OpenAPI document built by the same function the server uses
 *    (buildOpenApiDocument) and the web app's mount point. Each row's "OpenAPI" column must say
 *    whether the route is in the OpenAPI document, "access" must be the role and "rate limit"
 *    the endpoint class the app's route table gives it (api/http/routes/); and every Nest route
 *    must carry `@Access`, else the test names the controller method;
 *  - models: every model of prisma/schema.prisma with its table; the erDiagram must show every
 *    model with exactly its columns (name, type, PK/FK/UK) and every relation;
 *  - workflows (exports of workflows/index.ts), their queries/updates/signals, activity types;
 *  - MCP tools, resources and prompts, listed by a real MCP client from the real server;
 *  - configuration: every key of envSchema (common/config.ts) with its default, and every other
 *    variable shipped code reads, directly, through an alias of process.env or through a helper
 *    (env-reads.ts), with the files that read it;
 *  - docker compose services and the variables the compose file reads (with their defaults),
 *    when docker-compose.yml exists;
 *  - through architecture-checks.ts: activity options (formulas evaluated against
 *    workflows/activity-options.ts), failure types (probes run through the classifier, API
 *    answers through failureToHttp), search attributes, quillflow_* metrics, ports, the routes
 *    that take Idempotency-Key, the technology stack against package.json, the .env example
 *    (loadConfig), every source path the document names. Each of these also runs on a
 *    deliberately wrong table at the end of this file, to show it can fail.
 * Figures (`<!-- ref:figures -->`) must appear verbatim in the report each row names.
 * Also: the design's 12 sections in order, every in-document link resolves to a heading
 * (GitHub anchors), every relative file link exists, and every Mermaid block parses.
 *
 * Mermaid: @mermaid-js/parser (the official Langium parsers) parses only some diagram types
 * (info, packet, pie, architecture, gitGraph, radar, treemap, ...), and is ESM-only, so it runs
 * in a child Node process (mermaid-parse.mjs). flowchart, sequenceDiagram and erDiagram
 * are not among them, and the `mermaid` package needs a DOM; for those three this spec applies a
 * strict line-by-line check of the syntax subset the document uses (architecture-doc.ts):
 * header, balanced brackets and quotes, known arrows, declared participants/entities, closed
 * blocks. It rejects anything outside that subset, but it is not Mermaid's grammar.
 *
 * On failure the messages say what is missing where, with a row to paste for missing items.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MissingAccessError } from '../../api/http/routes/nest-routes';
import { envSchema, loadConfig } from '../../common/config';
import {
  cellValue,
  checkFlowchart,
  checkSequence,
  codeSpans,
  erKeys,
  erType,
  foreignKeys,
  headings,
  links,
  mermaidBlocks,
  parseErDiagram,
  parsePrismaModels,
  referenceRows,
  tableRow,
} from './architecture-doc';
import {
  collectActivities,
  collectComposeServices,
  collectComposeVariables,
  collectActivityOptions,
  collectEnv,
  collectEnvReads,
  collectErrorFacts,
  collectMetrics,
  collectPackages,
  collectPortVariables,
  collectSearchAttributes,
  repoFile,
  collectMcp,
  collectOtherEnv,
  collectRoutes,
  collectWorkflows,
  type McpFacts,
  ROOT,
  type RouteFact,
} from './architecture-facts';
import { envHelpers, envReads } from './env-reads';
import {
  checkActivityOptions,
  checkEnvExamples,
  checkErrors,
  checkIdempotentRoutes,
  checkMetrics,
  checkNamedPaths,
  checkOtherEnv,
  checkPorts,
  checkSearchAttributes,
  checkStack,
  compare,
} from './architecture-checks';

const DOC = path.join(ROOT, 'docs', 'ARCHITECTURE.md');
const md = fs.readFileSync(DOC, 'utf8');
const schema = fs.readFileSync(path.join(ROOT, 'prisma', 'schema.prisma'), 'utf8');

/** The design's 12 sections (shared/seeds/000_964afb0595e34c4c.txt), in order. */
const SECTIONS: [RegExp, string][] = [
  [/executive summary/i, 'Executive summary'],
  [/system overview/i, 'System overview'],
  [/architecture diagrams/i, 'Architecture diagrams'],
  [/component architecture/i, 'Component architecture'],
  [/data architecture/i, 'Data architecture'],
  [/api architecture/i, 'API architecture'],
  [/security architecture/i, 'Security architecture'],
  [/deployment architecture/i, 'Deployment architecture'],
  [/performance architecture/i, 'Performance architecture'],
  [/integration architecture/i, 'Integration architecture'],
  [/development architecture/i, 'Development architecture'],
  [/operational architecture/i, 'Operational architecture'],
];

/** Parser names of the diagram types @mermaid-js/parser parses, by their header keyword. */
const PARSER_TYPES: Record<string, string> = {
  'architecture-beta': 'architecture',
  architecture: 'architecture',
  pie: 'pie',
  gitGraph: 'gitGraph',
  info: 'info',
  packet: 'packet',
  'packet-beta': 'packet',
  radar: 'radar',
  'radar-beta': 'radar',
  treemap: 'treemap',
  'treemap-beta': 'treemap',
};

function fail(problems: string[]): void {
  if (problems.length)
    throw new Error(`docs/ARCHITECTURE.md is out of date:\n\n${problems.join('\n\n')}\n`);
}

describe('docs/ARCHITECTURE.md', () => {
  let routes: RouteFact[];
  let unmarked: string[];
  let mcp: McpFacts;

  beforeAll(async () => {
    let facts;
    [facts, mcp] = await Promise.all([collectRoutes(), collectMcp()]);
    ({ routes, unmarked } = facts);
  }, 60_000);

  it('finds an access role beside every Nest route (@Access on the handler or its controller)', () => {
    if (unmarked.length) throw new MissingAccessError(unmarked);
  });

  it('has the 12 sections of the design in order, each in the table of contents', () => {
    const h2 = headings(md).filter((h) => h.level === 2);
    const problems: string[] = [];
    let at = -1;
    for (const [re, name] of SECTIONS) {
      const i = h2.findIndex((h) => re.test(h.text));
      if (i < 0) problems.push(`no "## ... ${name}" section`);
      else if (i < at) problems.push(`section "${name}" is out of order`);
      else at = i;
    }
    const tocTargets = new Set(
      links(md)
        .filter((l) => l.target.startsWith('#'))
        .map((l) => l.target.slice(1)),
    );
    for (const h of h2) {
      if (/^(table of )?contents$/i.test(h.text)) continue;
      if (!tocTargets.has(h.anchor))
        problems.push(`"## ${h.text}" has no link to #${h.anchor} (table of contents)`);
    }
    fail(problems);
  });

  it('links only to headings that exist and files that exist', () => {
    const anchors = new Set(headings(md).map((h) => h.anchor));
    const problems: string[] = [];
    for (const l of links(md)) {
      if (/^[a-z]+:/i.test(l.target)) continue; // http:, https:, mailto:
      const [file, anchor] = l.target.split('#') as [string, string | undefined];
      if (file === '') {
        if (!anchors.has(anchor ?? ''))
          problems.push(`line ${l.line}: [${l.text}](${l.target}): no such heading`);
      } else if (!fs.existsSync(path.resolve(path.dirname(DOC), decodeURIComponent(file)))) {
        problems.push(`line ${l.line}: [${l.text}](${l.target}): no such file`);
      }
    }
    fail(problems);
  });

  it('lists every HTTP route of the API process, and no other', () => {
    const code = new Map<string, string>();
    for (const r of routes) {
      code.set(
        `${r.method} ${r.path}`,
        tableRow([
          `\`${r.method}\``,
          `\`${r.path}\``,
          r.inOpenApi ? 'yes' : 'no',
          r.access,
          r.limit,
          'TODO: what it does',
        ]),
      );
    }
    const rows = referenceRows(md, 'routes');
    const listed = rows.map((row) => ({
      key: `${cellValue(row.method)} ${cellValue(row.path)}`,
      row,
    }));
    const problems = compare('routes', code, listed);
    const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
    for (const { key, row } of listed) {
      const r = byKey.get(key);
      if (!r) continue;
      const where = `routes, line ${row.__line} (${key})`;
      const openapi = cellValue(row.openapi).toLowerCase();
      if (openapi !== (r.inOpenApi ? 'yes' : 'no'))
        problems.push(
          `${where}: OpenAPI column says "${openapi}", the document ${r.inOpenApi ? 'has' : 'does not have'} it`,
        );
      const role = r.access;
      if (cellValue(row.access) !== role)
        problems.push(
          `${where}: access says "${cellValue(row.access)}", the route requires "${role}" (@Access beside it, or where it is mounted)`,
        );
      const cls = r.limit;
      if (cellValue(row['rate limit']) !== cls)
        problems.push(
          `${where}: rate limit says "${cellValue(row['rate limit'])}", the limiter's class is "${cls}"`,
        );
      if (!cellValue(row.purpose) || /TODO/.test(row.purpose ?? ''))
        problems.push(`${where}: purpose is empty`);
    }
    fail(problems);
  });

  it('names every route that takes an Idempotency-Key', () => {
    fail(checkIdempotentRoutes(md, routes));
  });

  it('lists every Prisma model with its table, and the erDiagram is the schema', () => {
    const models = parsePrismaModels(schema);
    expect(models.length).toBeGreaterThan(0);
    const code = new Map(
      models.map((m) => [
        m.name,
        tableRow([`\`${m.name}\``, `\`${m.table}\``, 'TODO: what it holds']),
      ]),
    );
    const rows = referenceRows(md, 'models');
    const problems = compare(
      'models',
      code,
      rows.map((row) => ({ key: cellValue(row.model), row })),
    );
    for (const row of rows) {
      const m = models.find((x) => x.name === cellValue(row.model));
      if (m && cellValue(row.table) !== m.table)
        problems.push(
          `models, line ${row.__line}: ${m.name}'s table is \`${m.table}\`, not "${cellValue(row.table)}"`,
        );
    }

    const er = mermaidBlocks(md).filter((b) => b.type === 'erDiagram');
    if (er.length !== 1) {
      problems.push(`expected exactly one erDiagram block, found ${er.length}`);
      return fail(problems);
    }
    const { problems: syntax, model } = parseErDiagram(er[0].text);
    problems.push(...syntax.map((p) => `erDiagram (line ${er[0].line + p.line}): ${p.message}`));
    for (const m of models) {
      const fks = foreignKeys(schema, m.name);
      const expected = m.fields
        .filter((f) => !f.relation)
        .map((f) => [erType(f.type), f.name, ...erKeys(f, fks)].join(' '));
      const entity = model.entities.get(m.name);
      if (!entity) {
        problems.push(
          `erDiagram: entity ${m.name} is missing; add:\n    ${m.name} {\n${expected.map((e) => `        ${e}`).join('\n')}\n    }`,
        );
        continue;
      }
      const shown = entity.attributes.map((a) => [a.type, a.name, ...a.keys].join(' '));
      const lacking = expected.filter((e) => !shown.includes(e));
      const extra = shown.filter((s) => !expected.includes(s));
      if (lacking.length)
        problems.push(
          `erDiagram: ${m.name} lacks (or shows differently):\n${lacking.map((e) => `        ${e}`).join('\n')}`,
        );
      if (extra.length)
        problems.push(
          `erDiagram: ${m.name} shows what the schema does not have:\n${extra.map((e) => `        ${e}`).join('\n')}`,
        );
      for (const f of m.fields.filter((x) => x.relation && !x.list)) {
        const ok = model.relations.some(
          (r) =>
            (r.left === f.type && r.right === m.name) || (r.left === m.name && r.right === f.type),
        );
        if (!ok)
          problems.push(
            `erDiagram: no relationship between ${f.type} and ${m.name} (field ${m.name}.${f.name})`,
          );
      }
    }
    for (const name of model.entities.keys()) {
      if (!models.some((m) => m.name === name))
        problems.push(`erDiagram: entity ${name} is not a model of prisma/schema.prisma`);
    }
    fail(problems);
  });

  it('lists every workflow type, its queries/updates/signals, and every activity type', () => {
    const { workflows, messages } = collectWorkflows();
    expect(workflows.length).toBeGreaterThan(0);
    const problems = compare(
      'workflows',
      new Map(
        workflows.map((w) => [w, tableRow([`\`${w}\``, 'TODO: ID pattern', 'TODO: what it does'])]),
      ),
      referenceRows(md, 'workflows').map((row) => ({ key: cellValue(row.workflow), row })),
    );
    const msgRows = referenceRows(md, 'workflow-messages');
    problems.push(
      ...compare(
        'workflow-messages',
        new Map(
          messages.map((m) => [
            m.exportName,
            tableRow([`\`${m.exportName}\``, m.kind, `\`${m.name}\``, `\`${m.file}\``, 'TODO']),
          ]),
        ),
        msgRows.map((row) => ({ key: cellValue(row.export), row })),
      ),
    );
    for (const row of msgRows) {
      const m = messages.find((x) => x.exportName === cellValue(row.export));
      if (!m) continue;
      if (cellValue(row.kind) !== m.kind)
        problems.push(
          `workflow-messages, line ${row.__line}: ${m.exportName} is a ${m.kind}, not "${cellValue(row.kind)}"`,
        );
      if (cellValue(row.name) !== m.name)
        problems.push(
          `workflow-messages, line ${row.__line}: ${m.exportName}'s name is "${m.name}", not "${cellValue(row.name)}"`,
        );
    }
    problems.push(
      ...compare(
        'activities',
        new Map(collectActivities().map((a) => [a, tableRow([`\`${a}\``, 'TODO: what it does'])])),
        referenceRows(md, 'activities').flatMap((row) =>
          codeSpans(row.activity).map((key) => ({ key, row })),
        ),
      ),
    );
    fail(problems);
  });

  it('lists every MCP tool, resource and prompt', () => {
    const section = (name: string, items: string[], column: string) =>
      compare(
        name,
        new Map(items.map((t) => [t, tableRow([`\`${t}\``, 'TODO: what it does'])])),
        referenceRows(md, name).flatMap((row) =>
          codeSpans(row[column]).map((key) => ({ key, row })),
        ),
      );
    expect(mcp.tools.length).toBeGreaterThan(0);
    fail([
      ...section('mcp-tools', mcp.tools, 'tool'),
      ...section('mcp-resources', mcp.resources, 'uri'),
      ...section('mcp-prompts', mcp.prompts, 'prompt'),
    ]);
  });

  it('lists every configuration variable with its default, and every other variable the code reads', () => {
    const env = collectEnv();
    const rows = referenceRows(md, 'env');
    const problems = compare(
      'env',
      new Map(
        env.map((e) => [
          e.name,
          tableRow([`\`${e.name}\``, `\`${e.defaultText}\``, 'TODO: meaning']),
        ]),
      ),
      rows.map((row) => ({ key: cellValue(row.variable), row })),
    );
    for (const row of rows) {
      const e = env.find((x) => x.name === cellValue(row.variable));
      if (e && cellValue(row.default) !== e.defaultText) {
        problems.push(
          `env, line ${row.__line}: ${e.name}'s default is \`${e.defaultText}\`, not "${cellValue(row.default)}"`,
        );
      }
    }
    problems.push(...checkOtherEnv(md, collectOtherEnv()));
    fail(problems);
  });

  it('names only source files and folders that exist (or that the build generates)', () => {
    // A generated file (git-ignored, such as prisma/sqlite/schema.prisma) may not be there yet.
    const ignored = (p: string) =>
      spawnSync('git', ['check-ignore', '-q', p], { cwd: ROOT }).status === 0;
    fail(checkNamedPaths(md, (p) => fs.existsSync(path.join(ROOT, p)) || ignored(p)));
  });

  it('has a .env example the configuration accepts', () => {
    const known = new Set([
      ...Object.keys(envSchema.shape),
      ...collectOtherEnv().map((o) => o.name),
    ]);
    fail(checkEnvExamples(md, known, (env) => void loadConfig(env)));
  });

  it('gives the activity timeouts and retry policies the code sets', () => {
    fail(checkActivityOptions(md, collectActivityOptions()));
  });

  it('classifies provider failures as the code does, with the API answer for each', () => {
    fail(checkErrors(md, collectErrorFacts()));
  });

  it('lists every search attribute with its type and values', () => {
    fail(checkSearchAttributes(md, collectSearchAttributes()));
  });

  it('lists every quillflow_* metric with its labels', () => {
    fail(checkMetrics(md, collectMetrics()));
  });

  it('gives every port and what sets it', () => {
    fail(checkPorts(md, collectPortVariables(), repoFile));
  });

  it('gives the technology stack with the versions package.json (or the file named) holds', () => {
    fail(checkStack(md, collectPackages(), repoFile));
  });

  it('lists the docker compose services (when docker-compose.yml exists)', () => {
    const compose = collectComposeServices();
    const rows = md.includes('<!-- ref:compose-services -->')
      ? referenceRows(md, 'compose-services')
      : [];
    if (!compose) {
      fail(
        rows.length
          ? [
              `compose-services: the document lists ${rows.length} service(s) but there is no docker-compose.yml`,
            ]
          : [],
      );
      return;
    }
    const problems = compare(
      'compose-services',
      new Map(
        compose.services.map((s) => [
          s,
          tableRow([`\`${s}\``, 'TODO: image', 'TODO: role', 'TODO: health / restart']),
        ]),
      ),
      rows.map((row) => ({ key: cellValue(row.service), row })),
    );
    const vars = collectComposeVariables() ?? [];
    const varRows = referenceRows(md, 'compose-variables');
    problems.push(
      ...compare(
        'compose-variables',
        new Map(
          vars.map((v) => [
            v.name,
            tableRow([
              `\`${v.name}\``,
              v.defaultText === 'required' ? 'required' : `\`${v.defaultText}\``,
              'TODO: meaning',
            ]),
          ]),
        ),
        varRows.map((row) => ({ key: cellValue(row.variable), row })),
      ),
    );
    for (const row of varRows) {
      const v = vars.find((x) => x.name === cellValue(row.variable));
      if (v && cellValue(row.default) !== v.defaultText) {
        problems.push(
          `compose-variables, line ${row.__line}: ${v.name}'s default in ${compose.file} is "${v.defaultText}", not "${cellValue(row.default)}"`,
        );
      }
    }
    fail(problems);
  });

  it('quotes figures only from the reports they name', () => {
    // Performance and reliability figures are never written here by hand: each row of
    // <!-- ref:figures --> names its source file, which must contain the value verbatim.
    const problems: string[] = [];
    const rows = referenceRows(md, 'figures');
    // Both reports must be quoted: the section is how a reader of this document sees the numbers.
    for (const report of ['BENCHMARKS.md', 'RELIABILITY.md'])
      if (!rows.some((r) => codeSpans(r.source)[0] === report))
        problems.push(`figures: no row quotes ${report}`);
    for (const row of rows) {
      const source = codeSpans(row.source)[0] ?? '';
      const file = path.resolve(ROOT, source);
      const value = cellValue(row.value);
      if (!source || !fs.existsSync(file))
        problems.push(`figures, line ${row.__line}: source "${source}" does not exist`);
      else if (!value || !fs.readFileSync(file, 'utf8').includes(value)) {
        problems.push(
          `figures, line ${row.__line}: "${value}" is not in ${source} (figures must be quoted from the report)`,
        );
      }
    }
    fail(problems);
  });

  it('has Mermaid blocks that parse', () => {
    const blocks = mermaidBlocks(md);
    const problems: string[] = [];
    const types = blocks.map((b) => b.type);
    for (const t of ['flowchart', 'sequenceDiagram', 'erDiagram']) {
      if (!types.includes(t)) problems.push(`no ${t} diagram`);
    }
    const forParser: { id: number; type: string; text: string }[] = [];
    blocks.forEach((b, id) => {
      const at = (p: { line: number; message: string }) =>
        `mermaid block at line ${b.line} (${b.type}), line ${b.line + p.line}: ${p.message}`;
      if (b.type === 'flowchart') problems.push(...checkFlowchart(b.text).map(at));
      else if (b.type === 'sequenceDiagram') problems.push(...checkSequence(b.text).map(at));
      else if (b.type === 'erDiagram') problems.push(...parseErDiagram(b.text).problems.map(at));
      else if (PARSER_TYPES[b.type])
        forParser.push({ id, type: PARSER_TYPES[b.type], text: b.text });
      else
        problems.push(
          `mermaid block at line ${b.line}: no parser or check for diagram type "${b.type}"`,
        );
    });
    if (forParser.length) {
      const run = spawnSync(process.execPath, [path.join(__dirname, 'mermaid-parse.mjs')], {
        input: JSON.stringify(forParser),
        encoding: 'utf8',
        cwd: ROOT,
        timeout: 30_000,
      });
      if (run.status !== 0) {
        problems.push(`@mermaid-js/parser could not run: ${run.stderr || run.error?.message}`);
      } else {
        for (const r of JSON.parse(run.stdout) as { id: number; ok: boolean; error?: string }[]) {
          if (!r.ok)
            problems.push(
              `mermaid block at line ${blocks[r.id].line} (${blocks[r.id].type}): ${r.error}`,
            );
        }
      }
    }
    fail(problems);
  });
});

/** The subset checks must reject what Mermaid rejects in the forms this document uses. */
describe('the Mermaid subset checks', () => {
  const flow = (body: string) => checkFlowchart(`flowchart LR\n${body}`).map((p) => p.message);
  const seq = (body: string) =>
    checkSequence(`sequenceDiagram\nparticipant A as One\nparticipant B as Two\n${body}`).map(
      (p) => p.message,
    );
  const er = (body: string) => parseErDiagram(`erDiagram\n${body}`).problems.map((p) => p.message);

  it('accept the forms used here', () => {
    expect(
      flow(
        'subgraph g["G"]\ndirection TB\na["x (y)"]\nb[("db")]\nend\na -->|"yes"| b\na -.-> c{"q?"}\nc ==> d[["s"]]',
      ),
    ).toEqual([]);
    expect(
      seq(
        'A->>B: hi\nalt ok\nB-->>A: fine\nelse no\nB--xA: err\nend\nNote over A,B: n\nloop again\nA-)B: ping\nend',
      ),
    ).toEqual([]);
    expect(
      er('A {\n  int id PK\n  string b UK "c"\n}\nC {\n  int aId FK\n}\nA ||--o{ C : "has"'),
    ).toEqual([]);
  });

  it('reject broken diagrams', () => {
    expect(flow('a["x"] --> b["y"')).not.toEqual([]); // unbalanced
    expect(flow('a --> b]')).not.toEqual([]);
    expect(flow('a ~~> b')).not.toEqual([]); // unknown arrow
    expect(flow('a -->b')).not.toEqual([]); // spacing outside the subset
    expect(flow('subgraph s["S"]\na')).not.toEqual([]); // unclosed subgraph
    expect(flow('end --> a')).not.toEqual([]); // keyword as id
    expect(flow('a["x; y"]')).not.toEqual([]); // ";" splits statements
    expect(flow('a[x]')).not.toEqual([]); // unquoted label
    expect(checkFlowchart('graph LR\na')).not.toEqual([]); // other header
    expect(seq('C->>A: who')).not.toEqual([]); // undeclared participant
    expect(seq('alt x\nA->>B: y')).not.toEqual([]); // unclosed block
    expect(seq('else x')).not.toEqual([]); // else outside alt
    expect(seq('A=>>B: y')).not.toEqual([]); // unknown arrow
    expect(er('A {\n  int\n}')).not.toEqual([]); // attribute without a name
    expect(er('A {\n  int id PK\n')).not.toEqual([]); // unclosed entity
    expect(er('A ||--o{ B : x')).not.toEqual([]); // undeclared entity
    expect(er('A {\n  int id\n}\nA ||-->{ A : x')).not.toEqual([]); // bad cardinality
  });
});

/**
 * Each table check on a deliberately wrong table: the document with one cell or row changed
 * must fail, with a message naming what is wrong. Without these, a check that reads nothing
 * (a renamed column, a lost marker) would pass forever.
 */
describe('the table checks reject wrong tables', () => {
  /** The document with `from` changed to `to` inside one reference table (which must hold it). */
  const wrong = (section: string, from: string, to: string): string => {
    const start = md.indexOf(`<!-- ref:${section} -->`);
    const end = md.indexOf(`<!-- /ref:${section} -->`);
    const body = md.slice(start, end);
    if (start < 0 || !body.includes(from))
      throw new Error(`fixture: "${from}" is not in <!-- ref:${section} -->`);
    return md.slice(0, start) + body.replace(from, to) + md.slice(end);
  };
  const problemsMatch = (problems: string[], re: RegExp) => {
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(re);
  };

  it('activity options: a wrong formula, heartbeat or retry, a missing export', () => {
    const facts = collectActivityOptions();
    problemsMatch(
      checkActivityOptions(
        wrong('activity-options', '`OPENAI_TIMEOUT + wait + 5 s`', '`OPENAI_TIMEOUT + 5 s`'),
        facts,
      ),
      /singleCallOptions.*start-to-close/,
    );
    problemsMatch(
      checkActivityOptions(
        wrong(
          'activity-options',
          '`OPENAI_TIMEOUT × calls + wait + 10 s` | `OPENAI_TIMEOUT + 10 s`',
          '`OPENAI_TIMEOUT × calls + wait + 10 s` | `—`',
        ),
        facts,
      ),
      /graphOptions.*heartbeat/,
    );
    problemsMatch(
      checkActivityOptions(wrong('activity-options', '`15 s`', '`30 s`'), facts),
      /persistOptions.*retry/,
    );
    problemsMatch(
      checkActivityOptions(
        wrong('activity-options', '`persistLocalOptions`', '`persistLaterOptions`'),
        facts,
      ),
      /in the code but not in/,
    );
  });

  it('errors: a wrong type, retry answer or API answer, a type left out', () => {
    const facts = collectErrorFacts();
    problemsMatch(
      checkErrors(wrong('errors', '| `ProviderServerError` |', '| `ProviderTimeout` |'), facts),
      /classifies "5xx" \(500\) as ProviderServerError/,
    );
    problemsMatch(
      checkErrors(
        wrong('errors', '| `ProviderQuotaExceeded` | no |', '| `ProviderQuotaExceeded` | yes |'),
        facts,
      ),
      /ProviderQuotaExceeded is not retried/,
    );
    problemsMatch(
      checkErrors(
        wrong(
          'errors',
          '| `ProviderTimeout` | yes | `504` |',
          '| `ProviderTimeout` | yes | `502` |',
        ),
        facts,
      ),
      /ProviderTimeout answers 504, not 502/,
    );
    problemsMatch(
      checkErrors(wrong('errors', '`ProviderEmptyCompletion`', 'ProviderEmptyCompletion'), facts),
      /in the code but not in[\s\S]*ProviderEmptyCompletion/,
    );
  });

  it('search attributes: a wrong type or value set, an attribute left out', () => {
    const facts = collectSearchAttributes();
    problemsMatch(
      checkSearchAttributes(
        wrong('search-attributes', '| `CostUsd` | Double |', '| `CostUsd` | Keyword |'),
        facts,
      ),
      /CostUsd\): type is Double/,
    );
    problemsMatch(
      checkSearchAttributes(wrong('search-attributes', ', `schedule` |', ' |'), facts),
      /Origin\): values are/,
    );
    problemsMatch(
      checkSearchAttributes(wrong('search-attributes', '| `BatchId` |', '| BatchId |'), facts),
      /in the code but not in[\s\S]*BatchId/,
    );
  });

  it('metrics: wrong labels or registry, a metric left out', () => {
    const metrics = collectMetrics();
    problemsMatch(
      checkMetrics(
        wrong(
          'metrics',
          '`framework`, `model`, `provider`, `outcome`, `type`',
          '`framework`, `model`, `provider`, `outcome`',
        ),
        metrics,
      ),
      /quillflow_llm_tokens_total\): labels are/,
    );
    problemsMatch(
      checkMetrics(
        wrong(
          'metrics',
          '| `quillflow_llm_cost_usd_total` | worker app metrics |',
          '| `quillflow_llm_cost_usd_total` | API `/metrics` |',
        ),
        metrics,
      ),
      /quillflow_llm_cost_usd_total\): served by the worker/,
    );
    problemsMatch(
      checkMetrics(
        wrong(
          'metrics',
          '`quillflow_llm_call_duration_seconds`',
          'quillflow_llm_call_duration_seconds',
        ),
        metrics,
      ),
      /in the code but not in[\s\S]*quillflow_llm_call_duration_seconds/,
    );
  });

  it("ports: a port that is not its variable's default or not in its file, a variable left out", () => {
    const ports = collectPortVariables();
    problemsMatch(
      checkPorts(wrong('ports', '| `8100` |', '| `8101` |'), ports, repoFile),
      /SIMULATOR_PORT defaults to 8100, not 8101/,
    );
    problemsMatch(
      checkPorts(wrong('ports', '| `3001` |', '| `3002` |'), ports, repoFile),
      /web\/vite.config.mts does not contain 3002/,
    );
    problemsMatch(
      checkPorts(
        wrong('ports', '`TEMPORAL_CLUSTER_DB_PORT`, `PGPORT`', '`TEMPORAL_CLUSTER_DB_PORT`'),
        ports,
        repoFile,
      ),
      /does not name[\s\S]*PGPORT/,
    );
  });

  it('stack: a version package.json does not declare, a file that does not hold it', () => {
    const packages = collectPackages();
    problemsMatch(
      checkStack(wrong('stack', '`^6.49.0`', '`^5.0.0`'), packages, repoFile),
      /openai\): package.json has \^6.49.0/,
    );
    problemsMatch(
      checkStack(wrong('stack', '`temporal` `1.5.1`', '`temporal` `1.5.0`'), packages, repoFile),
      /cli-install.ts does not contain "1.5.0"/,
    );
  });

  it('env-other: a variable left out, a wrong reader', () => {
    const other = collectOtherEnv();
    problemsMatch(
      checkOtherEnv(wrong('env-other', '| `MALLOC_ARENA_MAX` |', '| MALLOC_ARENA_MAX |'), other),
      /in the code but not in[\s\S]*MALLOC_ARENA_MAX/,
    );
    problemsMatch(
      checkOtherEnv(
        wrong(
          'env-other',
          '| `QUILLFLOW_CACHE_DIR` | `',
          '| `QUILLFLOW_CACHE_DIR` | `bench/harness.ts`, `',
        ),
        other,
      ),
      /env-other, line \d+: read by `[^`]*cli.ts`; the row shows bench\/harness.ts/,
    );
  });

  it('idempotency: a route left out', () => {
    const facts = [
      {
        method: 'POST',
        path: '/api/stories',
        inOpenApi: true,
        outsideNest: false,
        idempotencyKey: true,
      },
      {
        method: 'POST',
        path: '/api/batches',
        inOpenApi: true,
        outsideNest: false,
        idempotencyKey: true,
      },
    ];
    const table = (behaviour: string) =>
      `<!-- ref:conventions -->\n| convention | behaviour |\n| --- | --- |\n| idempotency | ${behaviour} |\n<!-- /ref:conventions -->\n`;
    expect(checkIdempotentRoutes(table('`POST /api/stories`, `POST /api/batches`'), facts)).toEqual(
      [],
    );
    problemsMatch(
      checkIdempotentRoutes(table('`POST /api/stories` only'), facts),
      /take Idempotency-Key are `POST \/api\/stories`, `POST \/api\/batches`/,
    );
  });

  it('named paths: a file that moved', () => {
    const exists = (p: string) => fs.existsSync(path.join(ROOT, p));
    expect(checkNamedPaths('See `api/http/cors.ts` and `test/architecture/`.', exists)).toEqual([]);
    problemsMatch(
      checkNamedPaths('See `api/common/cors.ts`.', exists),
      /api\/common\/cors.ts` does not exist/,
    );
  });

  it('.env examples: an unknown variable, a value the configuration refuses', () => {
    const known = new Set([
      ...Object.keys(envSchema.shape),
      ...collectOtherEnv().map((o) => o.name),
    ]);
    const load = (env: Record<string, string>) => void loadConfig(env);
    const example = (body: string) => '```dotenv\n' + body + '\n```\n';
    expect(checkEnvExamples(example('PROVIDER_MAX_WAIT_SECONDS=60'), known, load)).toEqual([]);
    problemsMatch(
      checkEnvExamples(example('PROVIDER_MAX_WAIT=60'), known, load),
      /PROVIDER_MAX_WAIT is not a variable/,
    );
    problemsMatch(
      checkEnvExamples(example('PROVIDER_FALLBACKS=[{"name":"b"}]'), known, load),
      /does not load/,
    );
  });
});

/** Environment reads the checker must see: directly, through an alias, through a helper. */
describe('env-reads', () => {
  const source = [
    "export function cacheDir(env: NodeJS.ProcessEnv = process.env) { return env.QUILLFLOW_CACHE_DIR || '/tmp'; }",
    "export function workerEnv(current: NodeJS.ProcessEnv) { return { a: current.MALLOC_ARENA_MAX ?? '2' }; }",
    'const env = process.env;',
    "const host = env['SIM_HOST'] ?? '127.0.0.1';",
    'const { ALPHA, BETA = 7 } = process.env;',
    'function intEnv(name: string, fallback: number) { const raw = process.env[name]; return raw ? Number(raw) : fallback; }',
    "const port = intEnv('SIM_PORT', 8100);",
    'const direct = process.env.DIRECT_ONE;',
    'function notEnv(o: { X_ONE?: string }) { return o.X_ONE; }',
  ].join('\n');

  it('finds reads through aliases, destructuring and helpers, with their literal fallbacks', () => {
    const reads = envReads('fixture.ts', source, envHelpers('fixture.ts', source));
    expect(reads).toEqual(
      expect.arrayContaining([
        { name: 'QUILLFLOW_CACHE_DIR', defaultText: '/tmp' },
        { name: 'MALLOC_ARENA_MAX', defaultText: '2' },
        { name: 'SIM_HOST', defaultText: '127.0.0.1' },
        { name: 'ALPHA' },
        { name: 'BETA', defaultText: '7' },
        { name: 'SIM_PORT', defaultText: '8100' },
        { name: 'DIRECT_ONE' },
      ]),
    );
    expect(reads.map((r) => r.name)).not.toContain('X_ONE');
  });

  it("finds the shipped code's alias reads", () => {
    const names = collectEnvReads().map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['QUILLFLOW_CACHE_DIR', 'MALLOC_ARENA_MAX', 'SIMULATOR_PORT']),
    );
  });
});

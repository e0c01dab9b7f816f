/**
 * Records the workflow histories that workflows/replay.spec.ts replays (`npm run histories:record`).
 *
 *   npm run histories:record                          # every scenario, current code
 *   npm run histories:record -- --only story-failed,chat
 *   npm run histories:record -- --tag pre-f8d5885 --out /path/to/test/fixtures/histories --only story-failed
 *
 * It starts its own Temporal dev server (the CLI the tests use), runs the in-process platform
 * (API, worker, simulator, a fresh SQLite database) and drives each scenario through the real
 * HTTP API; then it writes each execution's history in the JSON form of `temporal workflow show
 * --output json` to <out>/<name>[.<tag>][.run<k>].json and its entry in <out>/index.json.
 * `--tag` marks histories recorded by an older commit (run from a worktree of that commit).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from './history-json';
import { resolveTemporalCli } from '../../temporal/dev-server/cli';
import { startDevServer } from '../../temporal/dev-server/dev-server';
import { startTestPlatform } from '../support/platform';
import { TEST_TEMPORAL_ADDRESS_ENV } from '../temporal-env';
import { waitFor } from '../support/wait';
import { describeHistory, type FixtureEntry, type FixtureIndex } from './fixture-index';
import { SCENARIOS, type Execution } from './scenarios';

const root = path.join(__dirname, '..', '..');
const log = (m: string): void => console.error(`[histories] ${m}`);

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function commitOf(dir: string): string {
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8' }).trim();
  const head = git('rev-parse', '--short', 'HEAD');
  // Uncommitted workflow code makes the recording unreproducible from the commit alone: say so.
  return git('status', '--porcelain', '--untracked-files=no', '--', 'workflows', 'common').length >
    0
    ? `${head}+uncommitted`
    : head;
}

/** Every run of a workflow ID, oldest first, once visibility lists them all closed (twice alike). */
async function runsOf(client: Client, workflowId: string): Promise<string[]> {
  let previous = '';
  const found = await waitFor(
    `the runs of ${workflowId} in visibility`,
    async () => {
      const runs: { runId: string; start: number; open: boolean }[] = [];
      for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        runs.push({
          runId: w.runId,
          start: w.startTime.getTime(),
          open: w.status.name === 'RUNNING',
        });
      }
      runs.sort((a, b) => a.start - b.start);
      const key = JSON.stringify(runs);
      const stable = key === previous;
      previous = key;
      return { runs, stable };
    },
    (r) => r.stable && r.runs.length > 0 && r.runs.every((x) => !x.open),
    { timeoutMs: 30_000, everyMs: 500 },
  );
  return found.runs.map((r) => r.runId);
}

async function main(): Promise<void> {
  const only = option('only')?.split(',');
  const tag = option('tag');
  const outDir = path.resolve(option('out') ?? path.join(root, 'test', 'fixtures', 'histories'));
  const unknown = only?.filter((n) => !SCENARIOS.some((s) => s.name === n)) ?? [];
  if (unknown.length)
    throw new Error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  const selected = SCENARIOS.filter((s) => !only || only.includes(s.name));
  const commit = commitOf(root);

  const server = await startDevServer({
    port: 0,
    headless: true,
    cliPath: await resolveTemporalCli({ log }),
    log,
    logFile: path.join(root, 'test-artifacts', 'histories-dev-server.log'),
  });
  process.env[TEST_TEMPORAL_ADDRESS_ENV] = server.address;
  const p = await startTestPlatform();
  const indexFile = path.join(outDir, 'index.json');
  const index: FixtureIndex = fs.existsSync(indexFile)
    ? (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as FixtureIndex)
    : {};
  fs.mkdirSync(outDir, { recursive: true });
  try {
    for (const scenario of selected) {
      const started = Date.now();
      p.sim.reset();
      const executions = await scenario.run(p);
      for (const [name, ex] of Object.entries(executions)) {
        for (const entry of await save(p.temporal.client, outDir, name, ex, {
          tag,
          commit,
          scenario: scenario.name,
          what: scenario.what,
        })) {
          index[entry.file] = entry;
          log(
            `${entry.file}: ${entry.workflowType}, ${entry.events} events, ${entry.bytes} bytes${entry.patches.length ? `, patches ${entry.patches.join(' ')}` : ''}`,
          );
        }
      }
      log(`${scenario.name} recorded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b)));
    fs.writeFileSync(indexFile, JSON.stringify(sorted, null, 2) + '\n');
    await p.close();
    await server.stop();
  }
}

async function save(
  client: Client,
  outDir: string,
  name: string,
  ex: Execution,
  meta: { tag?: string; commit: string; scenario: string; what: string },
): Promise<FixtureEntry[]> {
  const runIds = ex.allRuns ? await runsOf(client, ex.workflowId) : [undefined];
  const entries: FixtureEntry[] = [];
  for (const [k, runId] of runIds.entries()) {
    const history = await client.workflow.getHandle(ex.workflowId, runId).fetchHistory();
    const json = historyToJSON(history);
    const file =
      [name, meta.tag, ex.allRuns ? `run${k + 1}` : undefined].filter(Boolean).join('.') + '.json';
    fs.writeFileSync(path.join(outDir, file), json + '\n');
    const d = describeHistory(JSON.parse(json));
    entries.push({
      file,
      workflowId: ex.workflowId,
      workflowType: d.workflowType,
      events: d.events,
      bytes: Buffer.byteLength(json) + 1,
      patches: d.patches,
      scenario: meta.scenario,
      what: ex.what ?? meta.what,
      recordedWith: meta.commit,
      recordedOn: new Date().toISOString().slice(0, 10),
    });
  }
  return entries;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

/**
 * What only the real cluster can show: Temporal as four service processes on PostgreSQL, set up
 * the way docker-compose.yml sets it up, serving Quillflow's stories with every framework, their
 * search attributes queryable with the Temporal CLI, and the config Quillflow ships accepted by
 * the server it ships for.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { Client } from 'pg';
import { resolveTemporalCli } from '../../temporal/dev-server/cli';
import { CLUSTER_SERVICES, type ClusterStateFile } from '../../temporal/cluster/cluster';
import { resolveTemporalServer } from '../../temporal/cluster/install';
import { repoFile, SHARED_WITH_COMPOSE } from '../../temporal/cluster/repo-files';
import { runCommand } from '../../temporal/dev-server/run-command';
import { SEARCH_ATTRIBUTE_CLI_SPECS } from '../../temporal/search-attributes';
import { http, startTestPlatform, type TestPlatform } from '../support/platform';
import { TEST_CLUSTER_STATE_ENV, testTemporalAddress } from '../temporal-env';

const state = (): ClusterStateFile =>
  JSON.parse(fs.readFileSync(process.env[TEST_CLUSTER_STATE_ENV]!, 'utf8')) as ClusterStateFile;

/** The server process under a service's supervising shell (its process group). */
function serverCommandLine(pgid: number): string {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes('temporal-server')) return cmd;
    } catch {
      /* exited meanwhile */
    }
  }
  return '';
}

describe('Quillflow on a real Temporal cluster (PostgreSQL persistence and visibility)', () => {
  let p: TestPlatform;
  let cli: string;
  beforeAll(async () => {
    cli = await resolveTemporalCli({ log: () => undefined });
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('runs frontend, history, matching and worker as separate server processes', () => {
    const s = state();
    expect(s.address).toBe(testTemporalAddress());
    const groups = CLUSTER_SERVICES.map((svc) => s.services[svc].pgid);
    expect(new Set(groups).size).toBe(4);
    for (const svc of CLUSTER_SERVICES) {
      const cmd = serverCommandLine(s.services[svc].pgid);
      expect({ svc, cmd }).toEqual({ svc, cmd: expect.stringContaining(`start --service ${svc}`) });
    }
  });

  it('keeps persistence and visibility in PostgreSQL', async () => {
    const { stdout } = await runCommand(cli, [
      'workflow',
      'list',
      '--address',
      testTemporalAddress(),
      '--limit',
      '1',
      '-o',
      'json',
    ]);
    expect(stdout).toBeDefined();
    const pg = new Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await pg.connect();
    try {
      const dbs = await pg.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'qf_temporal_%'",
      );
      const names = dbs.rows.map((r) => r.datname);
      expect(names.some((n) => n.startsWith('qf_temporal_visibility_'))).toBe(true);
      expect(names.some((n) => !n.startsWith('qf_temporal_visibility_'))).toBe(true);
    } finally {
      await pg.end();
    }
  });

  it('has the namespace and every Quillflow search attribute, as the compose setup step leaves them', async () => {
    const { stdout } = await runCommand(cli, [
      'operator',
      'search-attribute',
      'list',
      '--address',
      testTemporalAddress(),
    ]);
    const listed = new Set(
      stdout
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((cols) => cols.length === 2)
        .map(([name, type]) => `${name}=${type}`),
    );
    for (const spec of SEARCH_ATTRIBUTE_CLI_SPECS)
      expect({ spec, listed: listed.has(spec) }).toEqual({ spec, listed: true });
  });

  it('generates stories with all three frameworks, listed by `temporal workflow list --query`', async () => {
    const correlation = randomUUID();
    const frameworks = ['semantic-kernel', 'langchain', 'langgraph'];
    const started: string[] = [];
    for (const framework of frameworks) {
      const res = await http(
        p.baseUrl,
        'POST',
        '/api/stories?wait=true',
        { primaryCharacter: 'Ada', secondaryCharacter: 'Basil', framework },
        { 'x-transaction-guid': correlation },
      );
      expect({ framework, status: res.status }).toEqual({ framework, status: 201 });
      started.push(res.body.workflow_id);
    }
    expect(await p.prisma.story.count({ where: { correlationId: correlation } })).toBe(3);

    const list = async (query: string): Promise<string[]> => {
      const { stdout } = await runCommand(cli, [
        'workflow',
        'list',
        '--address',
        testTemporalAddress(),
        '--query',
        query,
        '-o',
        'json',
      ]);
      return stdout.trim()
        ? (JSON.parse(stdout) as Array<{ execution: { workflowId: string } }>).map(
            (w) => w.execution.workflowId,
          )
        : [];
    };
    // Visibility is eventually consistent: wait until the three closed runs are indexed.
    const mine = `CorrelationId='${correlation}' AND ExecutionStatus='Completed'`;
    const deadline = Date.now() + 30_000;
    while ((await list(mine)).length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    expect((await list(mine)).sort()).toEqual([...started].sort());
    expect(await list(`Framework='langgraph' AND CorrelationId='${correlation}'`)).toEqual([
      started[2],
    ]);

    // The Temporal Web UI of the cluster shows them too (through its HTTP API, as its pages do).
    const ui = state().uiUrl!;
    const page = await fetch(`${ui}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const query = encodeURIComponent(`Framework='langgraph' AND CorrelationId='${correlation}'`);
    const listed = (await (
      await fetch(`${ui}/api/v1/namespaces/default/workflows?query=${query}`)
    ).json()) as {
      executions?: Array<{ execution: { workflowId: string } }>;
    };
    expect(listed.executions?.map((e) => e.execution.workflowId)).toEqual([started[2]]);
  });

  it('ships a dynamic config that the server it runs knows every key of', async () => {
    const install = await resolveTemporalServer({ log: () => undefined });
    const { stdout, stderr } = await runCommand(install.server, [
      'validate-dynamic-config',
      repoFile(SHARED_WITH_COMPOSE.dynamicConfig),
    ]);
    expect(`${stdout}${stderr}`).not.toMatch(/warning|error/i);
  });
});

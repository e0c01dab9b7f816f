import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SearchAttributeType } from '@temporalio/common';
import { resolveTemporalCli } from '../temporal/dev-server/cli';
import { connectTemporal, type TemporalClientHandle } from '../temporal/connection';
import {
  ensureNamespaceContract,
  EXIT_TEMPORAL_NOT_SET_UP,
  type EnsureContractOptions,
  TemporalNotSetUpError,
} from '../temporal/namespace-contract';
import { listCustomSearchAttributes } from '../temporal/search-attribute-registry';
import { CLI_SEARCH_ATTRIBUTE_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../temporal/search-attributes';
import { encodeSearchAttributeIndexedValueType, msToTs } from '../temporal/sdk-internals';
import { captureLogger, startApiOnly } from './support/api-only';
import { http } from './support/platform';
import { waitFor } from './support/wait';
import { TEST_TEMPORAL_NAMESPACE, testTemporalAddress } from './temporal-env';

/**
 * Issue 13 (part 2), the start-up contract with any Temporal: on the shared dev server, a
 * namespace registered during the test has no custom search attributes, exactly like an
 * external cluster's namespace that nobody set up for Quillflow.
 */

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);
const cliType = (t: SearchAttributeType) => CLI_SEARCH_ATTRIBUTE_TYPE_NAMES[t];
const createCommand = (ns: string, name: string, type: SearchAttributeType) =>
  `temporal operator search-attribute create --namespace ${ns} --name ${name} --type ${cliType(type)}`;

let admin: TemporalClientHandle;

beforeAll(async () => {
  admin = await connectTemporal({
    address: testTemporalAddress(),
    namespace: TEST_TEMPORAL_NAMESPACE,
  });
});
afterAll(async () => {
  await admin?.close();
});

const newName = () => `qf-contract-${randomUUID().slice(0, 8)}`;

/** Registers a namespace and waits until the frontend lists its attributes (a new one answers NOT_FOUND for a moment). */
async function freshNamespace(): Promise<string> {
  const namespace = newName();
  await admin.connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs(86_400_000),
  });
  await waitFor(
    `namespace ${namespace} to be served`,
    () =>
      listCustomSearchAttributes(admin.connection, namespace).then(
        () => true,
        () => false,
      ),
    Boolean,
    { timeoutMs: 60_000, everyMs: 200 },
  );
  return namespace;
}

function options(
  namespace: string,
  allowSetup: boolean,
  log = captureLogger().logger,
): EnsureContractOptions {
  return {
    namespace,
    address: testTemporalAddress(),
    cloud: false,
    retention: '720h',
    allowSetup,
    log,
  };
}

describe('ensureNamespaceContract (the function the API and worker share)', () => {
  it('setup not allowed: refuses, naming every missing attribute and the exact command for each', async () => {
    const ns = await freshNamespace();
    const err = (await ensureNamespaceContract(admin.connection, options(ns, false)).catch(
      (e: unknown) => e,
    )) as TemporalNotSetUpError;
    expect(err).toBeInstanceOf(TemporalNotSetUpError);
    for (const k of SEARCH_ATTRIBUTES) {
      expect(err.message).toContain(
        `search attribute ${k.name} (${cliType(k.type)}) is not registered on namespace "${ns}"`,
      );
      expect(err.message).toContain(`  ${createCommand(ns, k.name, k.type)}\n`);
    }
    expect(err.commands).toEqual(SEARCH_ATTRIBUTES.map((k) => createCommand(ns, k.name, k.type)));
    expect(err.message).toContain('TEMPORAL_NAMESPACE_SETUP=true');
    // Nothing was changed.
    expect(await listCustomSearchAttributes(admin.connection, ns)).toEqual({});
  });

  it('setup allowed: registers them all; a second call is a no-op', async () => {
    const ns = await freshNamespace();
    const first = await ensureNamespaceContract(admin.connection, options(ns, true));
    expect(first).toEqual({
      status: 'ok',
      namespaceCreated: false,
      registered: SEARCH_ATTRIBUTES.map((k) => k.name),
    });
    expect(await listCustomSearchAttributes(admin.connection, ns)).toEqual(
      Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, k.type])),
    );
    const second = await ensureNamespaceContract(admin.connection, options(ns, true));
    expect(second).toEqual({ status: 'ok', namespaceCreated: false, registered: [] });
  });

  it('a wrong type: refuses even when setup is allowed, and names it', async () => {
    const ns = await freshNamespace();
    await admin.connection.operatorService.addSearchAttributes({
      namespace: ns,
      searchAttributes: {
        CostUsd: encodeSearchAttributeIndexedValueType(SearchAttributeType.KEYWORD)!,
      },
    });
    await waitFor(
      'CostUsd to be listed',
      () => listCustomSearchAttributes(admin.connection, ns),
      (a) => a.CostUsd !== undefined,
    );
    const err = (await ensureNamespaceContract(admin.connection, options(ns, true)).catch(
      (e: unknown) => e,
    )) as TemporalNotSetUpError;
    expect(err).toBeInstanceOf(TemporalNotSetUpError);
    expect(err.message).toContain(
      `search attribute CostUsd is registered on namespace "${ns}" as Keyword; Quillflow needs Double`,
    );
    expect(err.commands).toEqual(
      expect.arrayContaining([
        `temporal operator search-attribute remove --namespace ${ns} --name CostUsd --yes`,
        createCommand(ns, 'CostUsd', SearchAttributeType.DOUBLE),
      ]),
    );
  });

  it('a missing namespace: the create command when not allowed; created with 720h retention when allowed', async () => {
    const ns = newName();
    const err = (await ensureNamespaceContract(admin.connection, options(ns, false)).catch(
      (e: unknown) => e,
    )) as TemporalNotSetUpError;
    expect(err).toBeInstanceOf(TemporalNotSetUpError);
    expect(err.message).toContain(`namespace "${ns}" does not exist`);
    expect(err.commands[0]).toBe(
      `temporal operator namespace create --namespace ${ns} --retention 720h`,
    );
    expect(err.commands).toHaveLength(1 + SEARCH_ATTRIBUTES.length);

    const made = await ensureNamespaceContract(admin.connection, options(ns, true));
    expect(made).toMatchObject({ status: 'ok', namespaceCreated: true });
    const d = await admin.connection.workflowService.describeNamespace({ namespace: ns });
    expect(Number(d.config?.workflowExecutionRetentionTtl?.seconds)).toBe(720 * 3600);
    expect(Object.keys(await listCustomSearchAttributes(admin.connection, ns)).sort()).toEqual(
      SEARCH_ATTRIBUTES.map((k) => k.name).sort(),
    );
  });
});

interface Exited {
  code: number | null;
  output: string;
}

/** Runs a real entry (`node -r ts-register <entry>.ts`) until it exits on its own. */
function runEntry(entry: string, env: Record<string, string>): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', path.join(ROOT, 'test/support/ts-register.js'), path.join(ROOT, entry)],
      {
        cwd: os.tmpdir(), // no .env from the work tree
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the real API and worker entries against a namespace nobody set up', () => {
  it('both refuse to start (exit 78) and print the commands, when setup is not allowed', async () => {
    const ns = await freshNamespace();
    const env = {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_NAMESPACE: ns,
      TEMPORAL_NAMESPACE_SETUP: 'false',
      DATABASE_URL: `file:${path.join(os.tmpdir(), `qf-contract-${randomUUID().slice(0, 8)}.db`)}`,
      LOG_FILE_PATH: '',
      HOST: '127.0.0.1',
      PORT: '0',
    };
    const [api, worker] = await Promise.all([
      runEntry('api/main.ts', env),
      runEntry('workers/main.ts', env),
    ]);
    for (const [name, r] of [
      ['api', api],
      ['worker', worker],
    ] as const) {
      expect({ name, code: r.code }).toEqual({ name, code: EXIT_TEMPORAL_NOT_SET_UP });
      expect(r.output).toContain(`Temporal namespace "${ns}" is not set up for Quillflow`);
      expect(r.output).toContain(createCommand(ns, 'CorrelationId', SearchAttributeType.KEYWORD));
      expect(r.output).toContain(createCommand(ns, 'CostUsd', SearchAttributeType.DOUBLE));
      expect(r.output).not.toContain('Quillflow API listening');
      expect(r.output).not.toContain('worker started');
    }
    // Neither changed the namespace.
    expect(await listCustomSearchAttributes(admin.connection, ns)).toEqual({});
  });
});

describe('an API running against a namespace that lacks the attributes', () => {
  // createApiApp without api/main.ts's start-up check: what an API sees when the attributes
  // go missing after it started (or a process that skipped the check).
  it('/health/ready is 503 naming each one with its command; starts are 503 TemporalNotSetUp, never 500; fixed by the commands', async () => {
    const ns = await freshNamespace();
    const client = await connectTemporal({ address: testTemporalAddress(), namespace: ns });
    const api = await startApiOnly({ TEMPORAL_NAMESPACE: ns }, { temporal: client.client });
    try {
      const ready = await http(api.baseUrl, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('not_ready');
      expect(ready.body.checks).toEqual({
        database: 'ok',
        temporal: 'ok',
        temporal_setup: 'failed',
      });
      expect(ready.body.problems).toEqual(
        SEARCH_ATTRIBUTES.map(
          (k) =>
            `search attribute ${k.name} (${cliType(k.type)}) is not registered on namespace "${ns}"`,
        ),
      );
      expect(ready.body.fix).toEqual(
        SEARCH_ATTRIBUTES.map((k) => createCommand(ns, k.name, k.type)),
      );
      // No host in a public answer.
      expect(JSON.stringify(ready.body)).not.toContain(testTemporalAddress());

      const story = await http(api.baseUrl, 'POST', '/api/stories', {
        primaryCharacter: 'Alice',
        secondaryCharacter: 'Bob',
        framework: 'langchain',
      });
      expect(story.status).toBe(503);
      expect(story.body.error).toMatchObject({
        type: 'TemporalNotSetUp',
        code: 'TEMPORAL_NOT_SET_UP',
      });
      expect(story.body.error.message).toMatch(
        new RegExp(
          `is not registered on namespace "${ns}"\\. Fix: temporal operator search-attribute create --namespace ${ns} --name \\w+ --type \\w+`,
        ),
      );

      // A run list filtered on one of Quillflow's attributes: not the caller's bad query (400).
      const runs = await http(api.baseUrl, 'GET', '/api/runs?type=story');
      expect(runs.status).toBe(503);
      expect(runs.body.error.code).toBe('TEMPORAL_NOT_SET_UP');

      // The printed commands, run as printed (plus the address), set the namespace up.
      const cli = await resolveTemporalCli({ allowInstall: false, log: () => undefined });
      for (const command of ready.body.fix as string[]) {
        const [, ...args] = command.split(' ');
        await run(cli, [...args, '--address', testTemporalAddress()]);
      }
      const fixed = await waitFor(
        'readiness after the fix',
        () => http(api.baseUrl, 'GET', '/health/ready'),
        (r) => r.status === 200,
        { timeoutMs: 60_000, everyMs: 250 },
      );
      expect(fixed.body).toEqual({
        status: 'ready',
        checks: { database: 'ok', temporal: 'ok', temporal_setup: 'ok' },
      });
      // A cluster's services refresh their search-attribute caches on their own schedule: until
      // then a start is still refused as TemporalNotSetUp (503, retryable), never anything else.
      const started = await waitFor(
        'a story start after the fix',
        () =>
          http(api.baseUrl, 'POST', '/api/stories', {
            primaryCharacter: 'Alice',
            secondaryCharacter: 'Bob',
            framework: 'langchain',
          }),
        (r) => r.status !== 503 || r.body.error?.code !== 'TEMPORAL_NOT_SET_UP',
        { timeoutMs: 60_000, everyMs: 500 },
      );
      expect(started.status).toBe(202);
    } finally {
      await api.close();
      await client.close();
    }
  });
});

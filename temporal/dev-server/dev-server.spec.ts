/**
 * Starts real `temporal server start-dev` processes (the CLI is resolved or installed first).
 * Each start takes ~1–3 s; a first-time CLI install can take longer.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveTemporalCli } from './cli';
import { connectTemporal } from '../connection';
import { startDevServer } from './dev-server';
import type { DevServerHandle } from './dev-server';
import { findFreePort, isPortFree } from './ports';
import { listCustomSearchAttributes } from '../search-attribute-registry';
import { SEARCH_ATTRIBUTES } from '../search-attributes';
import { spawnSupervised } from './supervised-process';

jest.setTimeout(180_000);

const quiet = (): void => undefined;

function groupIsGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function expectAllAttributes(address: string, namespace: string): Promise<void> {
  const temporal = await connectTemporal({ address, namespace });
  try {
    const registered = await listCustomSearchAttributes(temporal.connection, namespace);
    for (const key of SEARCH_ATTRIBUTES)
      expect({ [key.name]: registered[key.name] }).toEqual({ [key.name]: key.type });
  } finally {
    await temporal.close();
  }
}

let cliPath: string;
let tmp: string;

beforeAll(async () => {
  cliPath = await resolveTemporalCli({ log: quiet });
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'quillflow-dev-server-'));
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('startDevServer on free ports (in-memory)', () => {
  let server: DevServerHandle | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it('serves gRPC with every Quillflow search attribute registered, then stops cleanly', async () => {
    server = await startDevServer({ port: 0, headless: true, cliPath, log: quiet });
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    expect(server.uiUrl).toBeUndefined();

    const temporal = await connectTemporal({ address: server.address, namespace: 'default' });
    try {
      const info = await temporal.connection.workflowService.getSystemInfo({});
      expect(info.capabilities?.upsertMemo).toBe(true);
      const res = await temporal.connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      expect(Object.keys(res.customAttributes ?? {})).toEqual(
        expect.arrayContaining(SEARCH_ATTRIBUTES.map((k) => k.name)),
      );
    } finally {
      await temporal.close();
    }
    await expectAllAttributes(server.address, 'default');

    const { port, pid } = server;
    await server.stop();
    server = undefined;
    expect(await isPortFree('127.0.0.1', port)).toBe(true);
    expect(groupIsGone(pid)).toBe(true);
  });
});

describe('startDevServer with the Web UI and a namespace', () => {
  it('serves the UI on the chosen port and registers attributes on both namespaces', async () => {
    const uiPort = await findFreePort();
    const server = await startDevServer({
      port: 0,
      uiPort,
      namespace: 'quillflow-test',
      cliPath,
      log: quiet,
    });
    try {
      expect(server.uiUrl).toBe(`http://127.0.0.1:${uiPort}`);
      const res = await fetch(server.uiUrl!);
      expect(res.status).toBe(200);
      await expectAllAttributes(server.address, 'default');
      await expectAllAttributes(server.address, 'quillflow-test');
    } finally {
      await server.stop();
    }
    expect(await isPortFree('127.0.0.1', uiPort)).toBe(true);
  });
});

describe('startDevServer with an existing --db-filename', () => {
  /** Creates a SQLite store with a plain CLI start (no Quillflow attributes, or conflicting ones). */
  async function seedDatabase(dbFilename: string, extraArgs: string[] = []): Promise<void> {
    const port = await findFreePort();
    const proc = spawnSupervised('seed', cliPath, [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--db-filename',
      dbFilename,
      ...extraArgs,
    ]);
    try {
      const temporal = await connectTemporal({
        address: `127.0.0.1:${port}`,
        namespace: 'default',
      });
      await temporal.close();
    } finally {
      await proc.stop();
    }
  }

  it('adds attributes that start-dev skipped because the namespace already existed', async () => {
    const dbFilename = path.join(tmp, 'nested', 'dir', 'existing.db');
    await fs.mkdir(path.dirname(dbFilename), { recursive: true });
    await seedDatabase(dbFilename);

    const server = await startDevServer({
      port: 0,
      headless: true,
      dbFilename,
      cliPath,
      log: quiet,
    });
    try {
      await expectAllAttributes(server.address, 'default');
    } finally {
      await server.stop();
    }
    // And a second start on the same file is a no-op for registration.
    const again = await startDevServer({
      port: 0,
      headless: true,
      dbFilename,
      cliPath,
      log: quiet,
    });
    await again.stop();
  });

  it('fails loudly on an attribute registered with another type', async () => {
    const dbFilename = path.join(tmp, 'conflict', 'temporal.db');
    await fs.mkdir(path.dirname(dbFilename), { recursive: true });
    await seedDatabase(dbFilename, ['--search-attribute', 'CostUsd=Keyword']);
    await expect(
      startDevServer({ port: 0, headless: true, dbFilename, cliPath, log: quiet }),
    ).rejects.toThrow(/CostUsd is KEYWORD, expected DOUBLE/);
  });
});

describe('startDevServer on a busy port', () => {
  it('refuses instead of talking to whatever listens there', async () => {
    // Also: the directory of a new --db-filename is created.
    const dbFilename = path.join(tmp, 'not', 'yet', 'there.db');
    const first = await startDevServer({
      port: 0,
      headless: true,
      dbFilename,
      cliPath,
      log: quiet,
    });
    await expect(fs.stat(dbFilename)).resolves.toBeTruthy();
    try {
      await expect(
        startDevServer({ port: first.port, headless: true, cliPath, log: quiet }),
      ).rejects.toThrow(/already in use/);
    } finally {
      await first.stop();
    }
  });
});

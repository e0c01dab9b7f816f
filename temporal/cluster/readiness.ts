/** When a freshly started cluster is usable, and its namespace set up as compose sets it up. */
import { Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { resolveTemporalCli } from '../dev-server/cli';
import { isPortOpen } from '../dev-server/ports';
import { runCommand } from '../dev-server/run-command';
import { SEARCH_ATTRIBUTE_CLI_SPECS } from '../search-attributes';
import { repoFile, SHARED_WITH_COMPOSE } from './repo-files';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Until the frontend answers GetSystemInfo; `check` throws to stop waiting. */
export async function waitUntilServing(address: string, check: () => void): Promise<void> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.slice(address.lastIndexOf(':') + 1)),
  ];
  while (!(await isPortOpen(host, port, 500))) {
    check();
    await sleep(200);
  }
  for (;;) {
    check();
    const conn = Connection.lazy({ address, connectTimeout: 5_000 });
    try {
      await conn.ensureConnected();
      return;
    } catch {
      await sleep(500);
    } finally {
      await conn.close().catch(() => undefined);
    }
  }
}

/** docker/temporal-setup.sh, as compose's `temporal-setup` service runs it, with the Temporal CLI. */
export async function runSetup(
  address: string,
  namespace: string,
  retention: string,
  log: (m: string) => void,
): Promise<void> {
  const cli = await resolveTemporalCli({ log });
  const started = Date.now();
  const { stdout } = await runCommand('/bin/sh', [repoFile(SHARED_WITH_COMPOSE.setupScript)], {
    env: {
      PATH: `${path.dirname(cli)}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? '',
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_NAMESPACE_RETENTION: retention,
      QUILLFLOW_SEARCH_ATTRIBUTES: SEARCH_ATTRIBUTE_CLI_SPECS.join(' '),
    },
    timeoutMs: 5 * 60_000,
  });
  const added = stdout
    .split('\n')
    .filter((l) => l.includes('registering') || l.includes('creating'));
  log(
    `setup done in ${Date.now() - started} ms${added.length ? `: ${added.length} change(s)` : ' (nothing to change)'}`,
  );
}

/**
 * The frontend answers before history and matching have joined the ring; a workflow start needs
 * both (history owns it, matching gets its first task), so the cluster is ready once one succeeds.
 */
export async function probeWorkflowStart(
  address: string,
  namespace: string,
  deadline: number,
): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    for (;;) {
      const workflowId = `quillflow-cluster-probe-${randomUUID()}`;
      try {
        await conn.workflowService.startWorkflowExecution({
          namespace,
          workflowId,
          requestId: randomUUID(),
          workflowType: { name: 'quillflow-cluster-probe' },
          taskQueue: { name: 'quillflow-cluster-probe' },
        });
        await conn.workflowService.terminateWorkflowExecution({
          namespace,
          workflowExecution: { workflowId },
          reason: 'cluster readiness probe',
        });
        // Operators should not find probes among their runs in the UI.
        await conn.workflowService
          .deleteWorkflowExecution({ namespace, workflowExecution: { workflowId } })
          .catch(() => undefined);
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`no workflow could be started on the cluster: ${(err as Error).message}`);
        await sleep(500);
      }
    }
  } finally {
    await conn.close();
  }
}

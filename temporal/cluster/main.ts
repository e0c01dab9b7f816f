/**
 * `npm run temporal:cluster`: a real Temporal cluster on this machine's PostgreSQL, in the
 * foreground until Ctrl-C. Then, in another shell:
 *   QUILLFLOW_EXTERNAL_TEMPORAL=1 DATABASE_URL=postgresql://... npm start
 */
import * as path from 'node:path';
import { shiftedClusterPorts, startTemporalCluster } from './cluster';
import { ensureClusterRole, localPassword } from './database';
import { defaultAdminDatabaseUrl, loadClusterEnv } from './settings';

async function main(): Promise<void> {
  const log = (m: string): void => console.log(`[temporal-cluster] ${m}`);
  const env = loadClusterEnv();
  const dataDir = path.resolve(env.TEMPORAL_CLUSTER_DATA_DIR);
  let password = env.TEMPORAL_CLUSTER_DB_PASSWORD;
  if (!password) {
    password = await localPassword(dataDir);
    const adminUrl = env.TEMPORAL_CLUSTER_ADMIN_DATABASE_URL ?? defaultAdminDatabaseUrl();
    await ensureClusterRole(adminUrl, env.TEMPORAL_CLUSTER_DB_USER, password).catch(
      (err: Error) => {
        throw new Error(
          `Could not create the PostgreSQL role ${env.TEMPORAL_CLUSTER_DB_USER} through the admin connection ` +
            `(${err.message}). Set TEMPORAL_CLUSTER_ADMIN_DATABASE_URL to a superuser connection, or ` +
            'TEMPORAL_CLUSTER_DB_USER and TEMPORAL_CLUSTER_DB_PASSWORD to a role that may create databases.',
          { cause: err },
        );
      },
    );
  }
  const cluster = await startTemporalCluster({
    dataDir,
    db: {
      host: env.TEMPORAL_CLUSTER_DB_HOST,
      port: env.TEMPORAL_CLUSTER_DB_PORT,
      user: env.TEMPORAL_CLUSTER_DB_USER,
      password,
      database: env.TEMPORAL_CLUSTER_DB_NAME,
      visibilityDatabase: env.TEMPORAL_CLUSTER_VISIBILITY_DB_NAME,
    },
    ports: shiftedClusterPorts(env.TEMPORAL_PORT),
    uiPort: env.TEMPORAL_UI_PORT,
    namespace: env.TEMPORAL_NAMESPACE,
    retention: env.TEMPORAL_NAMESPACE_RETENTION,
    log,
  });
  log(
    `Temporal ${cluster.install.version} at ${cluster.address}, Web UI ${cluster.uiUrl}; logs in ${path.join(dataDir, 'logs')}.\n` +
      `  Quillflow on it: QUILLFLOW_EXTERNAL_TEMPORAL=1 TEMPORAL_ADDRESS=${cluster.address} npm start\n` +
      `  Its workflows:   temporal workflow list --address ${cluster.address} --query "Framework='langgraph'"\n` +
      'Ctrl-C stops the cluster (its data stays in PostgreSQL).',
  );

  let stopping = false;
  const shutdown = (signal: string, code: number): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the cluster`);
    cluster.stop().then(
      () => process.exit(code),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  const err = await cluster.failed;
  console.error(`[temporal-cluster] ${err.message}`);
  shutdown('giving up', 1);
}

main().catch((err: unknown) => {
  console.error(`[temporal-cluster] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

/**
 * A throwaway Temporal cluster (tests, benchmarks): four service processes on databases of its
 * own (unique names) on a local PostgreSQL, a login role with a generated password, free ports.
 * close() stops it and drops both databases; a failed start drops them too.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findFreePort } from '../dev-server/ports';
import { freeClusterPorts, startTemporalCluster, type TemporalCluster } from './cluster';
import { dropClusterDatabases, ensureClusterRole, type ClusterDatabaseSettings } from './database';

export interface ThrowawayClusterOptions {
  /** Administrator connection to the PostgreSQL server (creates the role, drops the databases). */
  adminUrl: string;
  /** Login role of the services; its password is set anew, so give each kind of user its own. */
  user: string;
  /** Database names start with this (a plain identifier), then a unique suffix. */
  databasePrefix: string;
  /** The cluster's config, state file and logs go into a new folder below this one. */
  parentDir: string;
  /** Serve the Temporal Web UI too, on a free port. */
  ui?: boolean;
  log?: (m: string) => void;
}

export interface ThrowawayCluster {
  cluster: TemporalCluster;
  db: ClusterDatabaseSettings;
  adminUrl: string;
  dataDir: string;
  /** Stops the cluster, then drops its databases (even when the stop fails). */
  close(): Promise<void>;
}

export async function startThrowawayCluster(o: ThrowawayClusterOptions): Promise<ThrowawayCluster> {
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const dataDir = path.join(o.parentDir, `temporal-cluster-${suffix}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const db: ClusterDatabaseSettings = {
    host: '127.0.0.1',
    // The services connect over TCP (the server's only way), to the server the admin URL names.
    port: Number(process.env.PGPORT || 5432),
    user: o.user,
    password: randomBytes(18).toString('base64url'),
    database: `${o.databasePrefix}_${suffix}`,
    visibilityDatabase: `${o.databasePrefix}_visibility_${suffix}`,
  };
  await ensureClusterRole(o.adminUrl, db.user, db.password);
  let cluster: TemporalCluster;
  try {
    cluster = await startTemporalCluster({
      dataDir,
      db,
      ports: await freeClusterPorts(),
      uiPort: o.ui ? await findFreePort() : undefined,
      log: o.log,
    });
  } catch (err) {
    await dropClusterDatabases(o.adminUrl, db).catch(() => undefined);
    throw err;
  }
  return {
    cluster,
    db,
    adminUrl: o.adminUrl,
    dataDir,
    close: async () => {
      try {
        await cluster.stop();
      } finally {
        await dropClusterDatabases(o.adminUrl, db);
      }
    },
  };
}

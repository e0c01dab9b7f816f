/**
 * The environment of a service process: the variables the server image's config/docker.yaml
 * reads, named and meant as docker-compose.yml's `temporal` service sets them
 * (docker/compose.spec.ts checks that every one compose sets is set here).
 */
import type { ClusterDatabaseSettings } from './database';
import type { ClusterPorts } from './ports';
import { TEMPORAL_SQL_PLUGIN } from './version';

/** The environment config/docker.yaml reads, as compose's `temporal` service sets it. */
export function serviceEnvironment(o: {
  db: ClusterDatabaseSettings;
  ports: ClusterPorts;
  maxConnsPerService: number;
  numHistoryShards: number;
  dynamicConfigFile: string;
}): Record<string, string> {
  const { db, ports } = o;
  const visibilityConns = String(Math.max(2, Math.ceil(o.maxConnsPerService / 3)));
  return {
    DB: TEMPORAL_SQL_PLUGIN,
    DBNAME: db.database,
    VISIBILITY_DBNAME: db.visibilityDatabase,
    POSTGRES_SEEDS: db.host,
    DB_PORT: String(db.port),
    // Visibility reads POSTGRES_PORT, persistence DB_PORT (config/docker.yaml).
    POSTGRES_PORT: String(db.port),
    POSTGRES_USER: db.user,
    POSTGRES_PWD: db.password,
    SQL_MAX_CONNS: String(o.maxConnsPerService),
    SQL_MAX_IDLE_CONNS: String(o.maxConnsPerService),
    SQL_VIS_MAX_CONNS: visibilityConns,
    SQL_VIS_MAX_IDLE_CONNS: visibilityConns,
    NUM_HISTORY_SHARDS: String(o.numHistoryShards),
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: o.dynamicConfigFile,
    LOG_LEVEL: 'warn',
    FRONTEND_GRPC_PORT: String(ports.grpc.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.membership.frontend),
    HISTORY_GRPC_PORT: String(ports.grpc.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.membership.history),
    MATCHING_GRPC_PORT: String(ports.grpc.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.membership.matching),
    WORKER_GRPC_PORT: String(ports.grpc.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.membership.worker),
  };
}

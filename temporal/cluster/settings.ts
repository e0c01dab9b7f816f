/**
 * Settings of `npm run temporal:cluster`, from the environment (documented in docs/DEPLOYMENT.md,
 * "A real Temporal cluster on this machine").
 */
import * as os from 'node:os';
import { z } from 'zod';
import { DEFAULT_NAMESPACE_RETENTION } from './version';

const port = z.coerce.number().int().min(1).max(65535);

export const clusterEnvSchema = z.object({
  TEMPORAL_CLUSTER_DATA_DIR: z.string().min(1).default('./data/temporal-cluster'),
  TEMPORAL_CLUSTER_DB_HOST: z.string().min(1).default('127.0.0.1'),
  TEMPORAL_CLUSTER_DB_PORT: port.default(5432),
  TEMPORAL_CLUSTER_DB_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('quillflow_temporal'),
  /** Unset: a generated password, kept in the data folder, set on the role through the admin URL. */
  TEMPORAL_CLUSTER_DB_PASSWORD: z.string().min(1).optional(),
  /** A superuser connection that may create the role (default: the local socket as this OS user). */
  TEMPORAL_CLUSTER_ADMIN_DATABASE_URL: z.string().min(1).optional(),
  TEMPORAL_CLUSTER_DB_NAME: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('temporal'),
  TEMPORAL_CLUSTER_VISIBILITY_DB_NAME: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('temporal_visibility'),
  TEMPORAL_PORT: port.default(7233),
  /** The Temporal Web UI, as `npm start`'s dev server serves it. */
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_NAMESPACE_RETENTION: z
    .string()
    .regex(/^\d+[hms]$/)
    .default(DEFAULT_NAMESPACE_RETENTION),
});
export type ClusterEnv = z.infer<typeof clusterEnvSchema>;

export function loadClusterEnv(env: NodeJS.ProcessEnv = process.env): ClusterEnv {
  const parsed = clusterEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n');
    throw new Error(`Invalid cluster settings:\n${problems}`);
  }
  return parsed.data;
}

/** The local PostgreSQL over its Unix socket, as the current OS user (Debian's peer auth). */
export function defaultAdminDatabaseUrl(): string {
  return `postgresql://${os.userInfo().username}@/postgres?host=/var/run/postgresql`;
}

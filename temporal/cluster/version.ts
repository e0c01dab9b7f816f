/**
 * The Temporal server version Quillflow's production topology runs: docker-compose.yml's
 * `temporal`/`admin-tools` images and the local cluster (`npm run temporal:cluster`, built from
 * the Go module proxy). docker/compose.spec.ts fails when the compose file names another one.
 */
export const TEMPORAL_SERVER_VERSION = '1.30.1';

export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
/** `go install` targets: the server (one binary, every service) and temporal-sql-tool. */
export const TEMPORAL_SERVER_PACKAGES = {
  server: `${TEMPORAL_SERVER_MODULE}/cmd/server`,
  sqlTool: `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql`,
} as const;

/** The SQL plugin both the compose stack (DB=postgres12) and the local cluster use. */
export const TEMPORAL_SQL_PLUGIN = 'postgres12';

/** Namespace retention when Quillflow creates the namespace (compose's TEMPORAL_NAMESPACE_RETENTION default). */
export const DEFAULT_NAMESPACE_RETENTION = '720h';

/**
 * The Temporal Web UI: docker-compose.yml's `temporal-ui` image and the local cluster's UI,
 * built from its Go module (whose embedded assets make one self-contained binary). 2.42.1 is
 * the UI inside the Temporal CLI 1.5.1 that the dev server runs, so both UIs are one version.
 */
export const TEMPORAL_UI_VERSION = '2.42.1';
export const TEMPORAL_UI_MODULE = 'github.com/temporalio/ui-server/v2';
export const TEMPORAL_UI_PACKAGE = `${TEMPORAL_UI_MODULE}/cmd/server`;

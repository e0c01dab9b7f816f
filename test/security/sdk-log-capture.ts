import { DefaultLogger, type LogEntry, Runtime } from '@temporalio/worker';

/**
 * The Temporal SDK's own log (worker, workflow and activity loggers, and core's native log,
 * forwarded) kept in memory instead of printed. Import this module before anything that
 * installs the Runtime (test/support/platform.ts does so when it is first imported).
 */
const entries: LogEntry[] = [];
export const sdkLogger = new DefaultLogger('DEBUG', (e) => entries.push(e));

let installed = true;
try {
  Runtime.install({
    logger: sdkLogger,
    telemetryOptions: { logging: { filter: { core: 'INFO', other: 'WARN' }, forward: {} } },
  });
} catch {
  installed = false;
}

/** True when the SDK logs into sdkLogger (false if another module installed the Runtime first). */
export const sdkLogCaptured = (): boolean => installed;

export const sdkLogEntries = (): readonly LogEntry[] => entries;

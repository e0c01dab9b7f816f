import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { testDatabaseKind } from '../support/platform';

/**
 * Issue 7: `npm audit` has no high or critical finding in production dependencies. It needs
 * the registry's advisory endpoint, which some networks block (a mirror that only allows GET
 * answers the bulk POST with 405). Then this says so plainly and passes, unless
 * QUILLFLOW_REQUIRE_AUDIT=1, which makes an unreachable endpoint a failure (set it wherever the
 * endpoint is reachable). Runs in the SQLite project only: the database does not matter.
 */

const ROOT = path.resolve(__dirname, '..', '..');

interface AuditReport {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<
    string,
    { severity: string; via: unknown[]; fixAvailable: unknown; range?: string }
  >;
  error?: { summary?: string; detail?: string };
  message?: string;
}

function runAudit(): Promise<{ report?: AuditReport; raw: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      {
        cwd: ROOT,
        timeout: 120_000,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, npm_config_fund: 'false' },
      },
      (_err, stdout, stderr) => {
        // npm audit exits non-zero when it finds anything, so the exit code says little.
        try {
          resolve({ report: JSON.parse(stdout) as AuditReport, raw: stderr });
        } catch {
          resolve({ raw: `${stdout}\n${stderr}` });
        }
      },
    );
  });
}

(testDatabaseKind() === 'sqlite' ? describe : describe.skip)(
  'npm audit (production dependencies)',
  () => {
    it('has no high or critical finding', async () => {
      const { report, raw } = await runAudit();
      const counts = report?.metadata?.vulnerabilities;
      if (!counts) {
        const why =
          report?.message ?? report?.error?.summary ?? raw.trim().split('\n').slice(-3).join(' ');
        const bar = '!'.repeat(78);
        const text = `\n${bar}\nNPM AUDIT NOT RUN: the advisory endpoint did not answer (${why}).\n${bar}\n`;
        if (process.env.QUILLFLOW_REQUIRE_AUDIT === '1') throw new Error(text);
        process.stdout.write(text);
        return;
      }
      const serious = Object.entries(report?.vulnerabilities ?? {})
        .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
        .map(
          ([name, v]) =>
            `${name} (${v.severity}${v.range ? `, ${v.range}` : ''}; fix: ${JSON.stringify(v.fixAvailable)})`,
        );
      process.stdout.write(`npm audit: ${JSON.stringify(counts)}\n`);
      expect(serious).toEqual([]);
    });
  },
);

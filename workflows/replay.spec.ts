import fs from 'node:fs';
import path from 'node:path';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import type { FixtureIndex } from '../test/histories/fixture-index';
import { historyFromJSON } from '../test/histories/history-json';

/**
 * The upgrade net: every committed history (test/fixtures/histories, recorded from real runs by
 * `npm run histories:record`, older ones by older commits) must replay on the current workflow
 * code. A change that alters the commands an existing run already issued, without a patch,
 * fails here with the SDK's DeterminismViolationError, naming the history.
 */
// The SDK's INFO lines (the replay worker starting and stopping) say nothing here.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  /* already installed in this process */
}

const dir = path.join(__dirname, '..', 'test', 'fixtures', 'histories');
const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as FixtureIndex;
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .sort();

describe('recorded workflow histories', () => {
  it('are each listed in index.json, and every listed file exists', () => {
    expect(files.filter((f) => !index[f])).toEqual([]);
    expect(Object.keys(index).filter((f) => !files.includes(f))).toEqual([]);
  });

  describe('replay on the current workflow code', () => {
    let bundle: WorkflowBundle;
    beforeAll(async () => {
      // Once for all histories: webpack takes a few seconds, each replay milliseconds.
      bundle = await bundleWorkflowCode({
        workflowsPath: require.resolve('./index'),
        logger: quietLogger,
      });
    });

    it('without a non-determinism error or a failed workflow task', async () => {
      let current = '';
      const histories = function* () {
        for (const file of files) {
          current = file;
          const history = historyFromJSON(
            JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')),
          );
          yield { workflowId: index[file].workflowId, history };
        }
      };
      const failures: string[] = [];
      let replayed = 0;
      // One at a time (the SDK pushes the next history after the previous result): `current` is its file.
      for await (const r of Worker.runReplayHistories(
        { workflowBundle: bundle, replayName: 'fixtures' },
        histories(),
      )) {
        replayed++;
        // The SDK wraps core's one-line reason (e.g. "[TMPRL1100] Nondeterminism error: ...") in a paragraph.
        const reason =
          r.error && (/\[TMPRL\d+\][^"]*/.exec(r.error.message)?.[0] ?? r.error.message);
        if (r.error)
          failures.push(`${current} (${index[current].what}): ${r.error.name}: ${reason}`);
      }
      expect(failures).toEqual([]);
      expect(replayed).toBe(files.length);
    });
  });
});

// The replay worker logs each history at INFO; only problems matter here.
const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

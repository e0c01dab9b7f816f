import { randomUUID } from 'node:crypto';
import { connectTemporal, type TemporalClientHandle } from '../temporal/connection';
import { startApiOnly, type ApiOnly } from './support/api-only';
import { http } from './support/platform';
import { TEST_TEMPORAL_NAMESPACE, testTemporalAddress } from './temporal-env';

/**
 * A batch whose task queue has no worker (a stale schedule's, or every worker down): its reads
 * must answer promptly. A workflow query waits for a worker, so GET /api/batches/:id gives it
 * WORKFLOW_QUERY_TIMEOUT_MS, then answers from the database and names the queue nobody serves.
 * The API runs here without any worker, on a task queue of its own.
 */

const QUERY_TIMEOUT_MS = 400;
// Describe, one timed-out query and the database reads: well under the 30 s the read
// took before, with room for a loaded CI machine. The content below says the deadline was used.
const ANSWER_WITHIN_MS = QUERY_TIMEOUT_MS + 12_000;

describe('reads of a batch whose task queue has no worker', () => {
  const taskQueue = `no-worker-${randomUUID()}`;
  let api: ApiOnly;
  let temporal: TemporalClientHandle;
  let batchId: string | undefined;
  beforeAll(async () => {
    api = await startApiOnly({
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
    });
    temporal = await connectTemporal({
      address: testTemporalAddress(),
      namespace: TEST_TEMPORAL_NAMESPACE,
    });
  });
  afterAll(async () => {
    // Nobody would ever run it: end it, so the shared server has no run left waiting.
    if (batchId)
      await temporal?.client.workflow
        .getHandle(batchId)
        .terminate('test over')
        .catch(() => undefined);
    await temporal?.close();
    await api?.close();
  });

  const timed = async (path: string) => {
    const started = Date.now();
    const res = await http(api.baseUrl, 'GET', path);
    return { ...res, ms: Date.now() - started };
  };

  it('GET /api/batches/:id answers from the database within the query deadline, naming the task queue', async () => {
    const started = await http(api.baseUrl, 'POST', '/api/batches', {
      items: [
        { primaryCharacter: 'Ann', secondaryCharacter: 'Bo' },
        { primaryCharacter: 'Cy', secondaryCharacter: 'Di' },
      ],
      frameworks: ['langchain'],
      concurrency: 2,
    });
    expect(started.status).toBe(202);
    batchId = String(started.body.batchId);

    // Twice: the first reader waits for the query's deadline, the next gets the same answer.
    for (let read = 0; read < 2; read++) {
      const res = await timed(`/api/batches/${batchId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        batchId,
        status: 'RUNNING',
        workflowUnanswered: {
          taskQueue,
          reason: `no worker on task queue "${taskQueue}" answered within ${QUERY_TIMEOUT_MS} ms (none polls it, or none was free)`,
        },
        // The row's counters, as the API wrote them at the start.
        progress: { batchId, state: 'running', total: 2, completed: 0, running: 0, pending: 2 },
        report: null,
        failedItems: [],
      });
      expect(res.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }

    // The run's own page asks Temporal only (a describe needs no worker).
    const run = await timed(`/api/runs/${batchId}`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ workflowId: batchId, status: 'RUNNING', taskQueue });
    expect(run.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });
});

import { WorkflowNotFoundError } from '@temporalio/client';
import { ApiError } from '../http/api-error';
import { whileRunning } from './workflow-lookup';

describe('whileRunning', () => {
  it('passes the result through', async () => {
    await expect(whileRunning('cancel the run', 'run', () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('turns "closed in between" (NOT_FOUND) into the 409 a closed run gets', async () => {
    const closed = whileRunning('cancel the batch', 'batch', () =>
      Promise.reject(new WorkflowNotFoundError('workflow execution already completed', 'batch-1', undefined)),
    );
    await expect(closed).rejects.toBeInstanceOf(ApiError);
    await expect(closed).rejects.toMatchObject({ type: 'RunNotRunning', message: 'Cannot cancel the batch: the batch has closed' });
    await expect(closed.catch((e: ApiError) => e.getStatus())).resolves.toBe(409);
    const grpc = whileRunning('terminate the run', 'run', () => Promise.reject(Object.assign(new Error('not found'), { code: 5 })));
    await expect(grpc).rejects.toMatchObject({ type: 'RunNotRunning' });
  });

  it('lets other failures through untouched', async () => {
    const boom = new Error('unavailable');
    await expect(whileRunning('cancel the run', 'run', () => Promise.reject(boom))).rejects.toBe(boom);
  });
});

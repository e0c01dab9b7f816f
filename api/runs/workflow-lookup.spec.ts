import { WorkflowNotFoundError } from '@temporalio/client';
import { ApiError } from '../http/api-error';
import { invalidArgument, isInvalidArgument, whileRunning } from './workflow-lookup';

describe('whileRunning', () => {
  it('passes the result through', async () => {
    await expect(whileRunning('cancel the run', 'run', () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('turns "closed in between" (NOT_FOUND) into the 409 a closed run gets', async () => {
    const closed = whileRunning('cancel the batch', 'batch', () =>
      Promise.reject(
        new WorkflowNotFoundError('workflow execution already completed', 'batch-1', undefined),
      ),
    );
    await expect(closed).rejects.toBeInstanceOf(ApiError);
    await expect(closed).rejects.toMatchObject({
      type: 'RunNotRunning',
      message: 'Cannot cancel the batch: the batch has closed',
    });
    await expect(closed.catch((e: ApiError) => e.getStatus())).resolves.toBe(409);
    const grpc = whileRunning('terminate the run', 'run', () =>
      Promise.reject(Object.assign(new Error('not found'), { code: 5 })),
    );
    await expect(grpc).rejects.toMatchObject({ type: 'RunNotRunning' });
  });

  it('lets other failures through untouched', async () => {
    const boom = new Error('unavailable');
    await expect(whileRunning('cancel the run', 'run', () => Promise.reject(boom))).rejects.toBe(
      boom,
    );
  });
});

describe('invalidArgument', () => {
  it("turns Temporal's INVALID_ARGUMENT into a 400 naming the field", () => {
    const err = Object.assign(new Error('3 INVALID_ARGUMENT: Invalid RunId.'), { code: 3 });
    expect(isInvalidArgument(err)).toBe(true);
    expect(isInvalidArgument(Object.assign(new Error('x'), { code: 5 }))).toBe(false);
    const e = invalidArgument('query -> runId', err);
    expect(e.getStatus()).toBe(400);
    expect(e.message).toBe('query -> runId was refused by Temporal: Invalid RunId.');
    expect(e.details).toEqual([
      { field: 'query -> runId', message: 'Invalid RunId.', type: 'invalid_argument' },
    ]);
  });
});

import { HttpStatus } from '@nestjs/common';
import {
  type Client,
  WorkflowNotFoundError,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import { ApiError, notFound } from '../http/api-error';

/** gRPC NOT_FOUND, or the SDK's own error for it. */
export function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5;
}

/** gRPC INVALID_ARGUMENT: Temporal could not parse a value the caller sent (a run ID, say). */
export function isInvalidArgument(err: unknown): boolean {
  return (err as { code?: number })?.code === 3;
}

/** Temporal's INVALID_ARGUMENT for a value the caller sent: a 400 naming that value's field. */
export function invalidArgument(field: string, err: unknown): ApiError {
  const why = String((err as Error)?.message ?? err).replace(/^3 INVALID_ARGUMENT: /, '');
  return new ApiError(
    HttpStatus.BAD_REQUEST,
    'InvalidArgument',
    `${field} was refused by Temporal: ${why}`,
    'INVALID_ARGUMENT',
    [{ field, message: why, type: 'invalid_argument' }],
  );
}

/** Describes the latest run of a workflow ID; unknown IDs are the caller's 404. */
export async function describeOr404(
  client: Client,
  workflowId: string,
  what = 'Run',
): Promise<WorkflowExecutionDescription> {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (isNotFound(err)) throw notFound(what);
    if (isInvalidArgument(err)) throw invalidArgument('path -> workflowId', err);
    throw err;
  }
}

/** Actions on a closed run are refused with 409 (the run exists; its state forbids the action). */
export function assertRunning(d: WorkflowExecutionDescription, action: string, what = 'run'): void {
  if (d.status.name !== 'RUNNING') {
    throw new ApiError(
      HttpStatus.CONFLICT,
      'RunNotRunning',
      `Cannot ${action}: the ${what} is ${d.status.name.toLowerCase()}, not running`,
    );
  }
}

/**
 * An action on a run that was running when described: if it closed in between (the server says
 * NOT_FOUND for the running execution), the caller gets the same 409 as if it had closed before.
 */
export async function whileRunning<T>(
  action: string,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isNotFound(err))
      throw new ApiError(
        HttpStatus.CONFLICT,
        'RunNotRunning',
        `Cannot ${action}: the ${what} has closed`,
      );
    throw err;
  }
}

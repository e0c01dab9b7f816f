import { WorkflowFailedError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  RetryState,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { APIConnectionTimeoutError, RateLimitError } from 'openai';
import { classifyError, toApplicationFailure } from '../../activities/llm/errors';
import { failureToHttp } from './workflow-errors';

/** A failed story workflow as the client sees it: workflow ← activity ← application failure. */
function failedRun(cause: Error): WorkflowFailedError {
  const activity = new ActivityFailure(
    'activity failed',
    'generateLangChain',
    '1',
    RetryState.MAXIMUM_ATTEMPTS_REACHED,
    'worker',
    cause,
  );
  return new WorkflowFailedError(
    'Workflow execution failed',
    activity,
    RetryState.NON_RETRYABLE_FAILURE,
  );
}

describe('failureToHttp: a failed generation is a named 5xx', () => {
  it.each([
    ['ProviderTimeout', 504],
    ['ProviderRateLimited', 503],
    ['ProviderQuotaExceeded', 503],
    ['ProviderServerError', 502],
    ['ProviderAuthenticationError', 502],
    ['ProviderConnectionError', 502],
  ])('%s → %d', (type, status) => {
    const e = failureToHttp(
      failedRun(ApplicationFailure.create({ type, message: 'upstream said no' })),
    );
    expect(e.getStatus()).toBe(status);
    expect(e.type).toBe(type);
    expect(e.message).toBe('Generation failed: upstream said no');
  });

  it('a Temporal timeout → 504', () => {
    const e = failureToHttp(
      failedRun(new TimeoutFailure('activity timed out', undefined, TimeoutType.START_TO_CLOSE)),
    );
    expect(e.getStatus()).toBe(504);
  });

  it("the openai SDK's timeout and rate-limit errors end up as 504 and 503", () => {
    const timeout = toApplicationFailure(classifyError(new APIConnectionTimeoutError()));
    expect(failureToHttp(failedRun(timeout)).getStatus()).toBe(504);
    const limited = toApplicationFailure(
      classifyError(new RateLimitError(429, { message: 'slow down' }, 'slow down', new Headers())),
    );
    expect(failureToHttp(failedRun(limited)).getStatus()).toBe(503);
  });
});

describe('failureToHttp: a request refused by its bounds in the activity', () => {
  it.each([
    ['RequestTooLarge', 413],
    ['RequestOverCostCeiling', 422],
  ])('%s → %d with the message as written (the same as the API check gives)', (type, status) => {
    const e = failureToHttp(
      failedRun(
        ApplicationFailure.nonRetryable('It is 9 tokens, more than the 8 that fit. Fix it.', type),
      ),
    );
    expect(e.getStatus()).toBe(status);
    expect(e.type).toBe(type);
    expect(e.message).toBe('It is 9 tokens, more than the 8 that fit. Fix it.');
  });
});

import { temporal } from '../../temporal/sdk-internals';
import { PENDING_ACTIVITY_STATES } from '../../common/schemas/run-responses';
import { pendingActivityStateName } from './pending-activity-state';

const S = temporal.api.enums.v1.PendingActivityState;

describe('pendingActivityStateName', () => {
  it("names Temporal's numeric states", () => {
    expect(pendingActivityStateName(S.PENDING_ACTIVITY_STATE_SCHEDULED)).toBe('SCHEDULED');
    expect(pendingActivityStateName(S.PENDING_ACTIVITY_STATE_STARTED)).toBe('STARTED');
    expect(pendingActivityStateName(S.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED)).toBe(
      'CANCEL_REQUESTED',
    );
    expect(pendingActivityStateName(S.PENDING_ACTIVITY_STATE_PAUSED)).toBe('PAUSED');
    expect(pendingActivityStateName(S.PENDING_ACTIVITY_STATE_PAUSE_REQUESTED)).toBe(
      'PAUSE_REQUESTED',
    );
    expect(pendingActivityStateName(0)).toBe('UNSPECIFIED');
  });

  it('covers every value of the SDK enum, and nothing else', () => {
    const names = Object.keys(S)
      .filter((k) => Number.isNaN(Number(k)))
      .map((k) => pendingActivityStateName(S[k as keyof typeof S]));
    expect(names.sort()).toEqual([...PENDING_ACTIVITY_STATES].sort());
  });

  it('leaves missing and unknown states empty', () => {
    expect(pendingActivityStateName(undefined)).toBeUndefined();
    expect(pendingActivityStateName(null)).toBeNull();
    expect(pendingActivityStateName(99)).toBeNull();
  });
});

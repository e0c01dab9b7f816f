import { temporal } from '../../temporal/sdk-internals';
import {
  PENDING_ACTIVITY_STATES,
  type PendingActivityStateName,
} from '../../common/schemas/run-responses';

const { PendingActivityState } = temporal.api.enums.v1;
const PREFIX = 'PENDING_ACTIVITY_STATE_';
const KNOWN = new Set<string>(PENDING_ACTIVITY_STATES);

/**
 * The name of a pending activity's state (Temporal's PendingActivityState, a number on the
 * wire): 'SCHEDULED', 'STARTED', 'CANCEL_REQUESTED', 'PAUSED', 'PAUSE_REQUESTED'. A value this
 * SDK does not know (a newer server) is null, like a missing one.
 */
export function pendingActivityStateName(
  state: number | null | undefined,
): PendingActivityStateName | null | undefined {
  if (state === null || state === undefined) return state;
  const name = (PendingActivityState as unknown as Record<number, string | undefined>)[state];
  const short = name?.startsWith(PREFIX) ? name.slice(PREFIX.length) : undefined;
  return short !== undefined && KNOWN.has(short) ? (short as PendingActivityStateName) : null;
}

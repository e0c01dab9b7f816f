import type { ActivityDeps } from '../deps';
import { closeLostAttempts } from './audit';

/**
 * For runs that end without storing anything (a failed story, a failed chat turn): their
 * attempts still pending died mid-call, as the persist activities conclude for stored results.
 */
export function attemptRecords(deps: ActivityDeps) {
  return {
    /** Marks the workflow's still-pending audit rows `lost`; returns how many. */
    async markLostAttempts(input: { workflowId: string }): Promise<number> {
      return closeLostAttempts(deps.prisma, input.workflowId);
    },
  };
}

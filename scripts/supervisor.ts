/**
 * The restart policy of `npm start` (scripts/start.ts): when a child process exits on its own,
 * restart it after a delay that doubles with each quick crash, and give up when it keeps
 * crashing. Pure (times are passed in), so it is unit-tested without processes or clocks.
 *
 * Defaults:
 *  - first restart after 1 s, then 2, 4, 8, 16, 30, 30 … s;
 *  - a child that stayed up 60 s before exiting starts afresh: 1 s, and its earlier exits are
 *    forgiven;
 *  - 5 exits of one child within 2 minutes (with no 60 s run between them): give up (npm start
 *    stops everything, exit 1).
 *    A child that fails at once is given up on after about 15 s of backoff (1+2+4+8) plus its
 *    own start-up times; one that crashes every minute or so is restarted indefinitely.
 */
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long resets the delay to initialDelayMs and forgets earlier exits. */
  stableAfterMs: number;
  /** This many exits within crashWindowMs (the latest included) means give up. */
  maxCrashes: number;
  crashWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxCrashes: 5,
  crashWindowMs: 120_000,
};

/** What the policy remembers about one child. */
export interface RestartState {
  /** Times of the exits still inside the crash window. */
  crashTimes: readonly number[];
  /** Delay before the next restart, unless the run that ends was stable. */
  nextDelayMs: number;
  /** Restarts so far, for the logs. */
  restarts: number;
}

export type RestartDecision =
  | { action: 'restart'; delayMs: number; restart: number }
  | { action: 'give-up'; crashes: number; windowMs: number };

export function initialRestartState(policy: RestartPolicy = DEFAULT_RESTART_POLICY): RestartState {
  return { crashTimes: [], nextDelayMs: policy.initialDelayMs, restarts: 0 };
}

/** A child started at `startedAt` exited on its own at `exitedAt`: restart it (when), or give up. */
export function onChildExit(
  state: RestartState,
  run: { startedAt: number; exitedAt: number },
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): { state: RestartState; decision: RestartDecision } {
  // A stable run forgives the crashes before it: the child had recovered.
  const stable = run.exitedAt - run.startedAt >= policy.stableAfterMs;
  const crashTimes = [...(stable ? [] : state.crashTimes), run.exitedAt].filter(
    (t) => run.exitedAt - t < policy.crashWindowMs,
  );
  if (crashTimes.length >= policy.maxCrashes) {
    return {
      state: { ...state, crashTimes },
      decision: { action: 'give-up', crashes: crashTimes.length, windowMs: policy.crashWindowMs },
    };
  }
  const delayMs = stable ? policy.initialDelayMs : state.nextDelayMs;
  const restart = state.restarts + 1;
  return {
    state: { crashTimes, nextDelayMs: Math.min(delayMs * 2, policy.maxDelayMs), restarts: restart },
    decision: { action: 'restart', delayMs, restart },
  };
}

/** "1 s", "1.5 s", "2 min": for the restart log lines. */
export function formatDelay(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

import {
  DEFAULT_RESTART_POLICY,
  formatDelay,
  initialRestartState,
  onChildExit,
  type RestartDecision,
  type RestartState,
} from './supervisor';

/** Feeds exits into the policy: each run lasts `ranMs`, and restarts happen exactly when decided. */
function simulate(runsMs: number[], startAt = 0): RestartDecision[] {
  let state: RestartState = initialRestartState();
  let startedAt = startAt;
  const decisions: RestartDecision[] = [];
  for (const ranMs of runsMs) {
    const exitedAt = startedAt + ranMs;
    const next = onChildExit(state, { startedAt, exitedAt });
    state = next.state;
    decisions.push(next.decision);
    if (next.decision.action === 'give-up') break;
    startedAt = exitedAt + next.decision.delayMs;
  }
  return decisions;
}

const delays = (ds: RestartDecision[]): (number | 'give-up')[] =>
  ds.map((d) => (d.action === 'restart' ? d.delayMs : 'give-up'));

describe('restart policy of npm start', () => {
  it('restarts after 1 s, doubling per quick crash, and gives up on the 5th exit within 2 min', () => {
    const ds = simulate([500, 500, 500, 500, 500, 500]);
    expect(delays(ds)).toEqual([1_000, 2_000, 4_000, 8_000, 'give-up']);
    expect(ds.slice(0, 4).map((d) => d.action === 'restart' && d.restart)).toEqual([1, 2, 3, 4]);
    expect(ds[4]).toEqual({ action: 'give-up', crashes: 5, windowMs: 120_000 });
  });

  it('caps the delay at 30 s; crashes spread wider than the window never give up', () => {
    // Each run lasts 50 s: the 5th exit is more than 2 min after the 1st.
    const ds = simulate(Array<number>(12).fill(50_000));
    expect(delays(ds)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('a child that stayed up 60 s starts afresh: 1 s, earlier exits forgiven', () => {
    // Without the stable run, the 5th and 6th exits here would be within 2 min of the 1st.
    const ds = simulate([500, 500, 500, 60_000, 500, 500]);
    expect(delays(ds)).toEqual([1_000, 2_000, 4_000, 1_000, 2_000, 4_000]);
    expect(ds[5]).toMatchObject({ restart: 6 });
  });

  it('counts only the exits inside the window', () => {
    let state = initialRestartState();
    for (const t of [0, 10_000, 20_000, 30_000])
      state = onChildExit(state, { startedAt: t - 100, exitedAt: t }).state;
    // 4 exits so far; the 5th comes 2 min after the first, which has left the window.
    const late = onChildExit(state, { startedAt: 119_000, exitedAt: 120_000 });
    expect(late.decision.action).toBe('restart');
    expect(late.state.crashTimes).toEqual([10_000, 20_000, 30_000, 120_000]);
    const soon = onChildExit(late.state, { startedAt: 121_000, exitedAt: 121_500 });
    expect(soon.decision).toEqual({
      action: 'give-up',
      crashes: 5,
      windowMs: DEFAULT_RESTART_POLICY.crashWindowMs,
    });
  });

  it('does not change the state it is given', () => {
    const state = initialRestartState();
    onChildExit(state, { startedAt: 0, exitedAt: 10 });
    expect(state).toEqual({ crashTimes: [], nextDelayMs: 1_000, restarts: 0 });
  });

  it('formats delays for the log', () => {
    expect([1_000, 1_500, 30_000, 120_000].map(formatDelay)).toEqual([
      '1 s',
      '1.5 s',
      '30 s',
      '2 min',
    ]);
  });
});

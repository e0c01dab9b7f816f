import { msNumberToTs } from '../../temporal/sdk-internals';
import { buildTimeline, type HistoryEvent } from './history-timeline';

/** Local activities (the story's persist step) leave one marker, not activity events. */
describe('buildTimeline: local activities', () => {
  const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
  const json = (v: unknown) => ({
    metadata: { encoding: Buffer.from('json/plain') },
    data: Buffer.from(JSON.stringify(v)),
  });
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const marker = (
    eventId: number,
    ms: number,
    data: Record<string, unknown>,
    failure?: unknown,
  ): HistoryEvent =>
    ({
      eventId,
      eventTime: msNumberToTs(ms),
      eventType: 30,
      markerRecordedEventAttributes: {
        markerName: 'core_local_activity',
        details: { data: { payloads: [json(data)] }, result: { payloads: [json({ storyId: 1 })] } },
        failure,
      },
    }) as unknown as HistoryEvent;
  const wftStarted = (eventId: number, ms: number) =>
    ({
      eventId,
      eventTime: msNumberToTs(ms),
      eventType: 6,
      workflowTaskStartedEventAttributes: { scheduledEventId: eventId - 1 },
    }) as unknown as HistoryEvent;

  it('shows a completed local activity as an activity entry, timed from the workflow task it ran in', () => {
    const t = buildTimeline([
      wftStarted(10, t0),
      marker(13, t0 + 40, {
        seq: 2,
        attempt: 1,
        activity_id: '2',
        activity_type: 'persistStory',
        complete_time: at(t0 + 25),
        original_schedule_time: at(t0 + 30), // filled in late by core for a first attempt
      }),
    ]);
    expect(t.activities).toEqual([
      expect.objectContaining({
        activityId: '2',
        activityType: 'persistStory',
        status: 'completed',
        attempt: 1,
        retries: 0,
        durationMs: 25,
        failure: null,
      }),
    ]);
    expect(t.events.map((e) => e.summary)).toEqual([
      'local activity persistStory completed after 25 ms (attempt 1)',
    ]);
  });

  it('uses the original schedule time after retries, and reports a failure', () => {
    const t = buildTimeline([
      wftStarted(20, t0 + 5_000),
      marker(
        23,
        t0 + 5_100,
        {
          seq: 3,
          attempt: 4,
          activity_id: '3',
          activity_type: 'persistStory',
          complete_time: at(t0 + 5_050),
          original_schedule_time: at(t0),
        },
        { message: 'database is locked', applicationFailureInfo: { type: 'Error' } },
      ),
    ]);
    expect(t.activities[0]).toMatchObject({
      status: 'failed',
      attempt: 4,
      retries: 3,
      durationMs: 5_050,
      failure: 'Error: database is locked',
    });
  });

  it('leaves other markers as plain events', () => {
    const t = buildTimeline([
      {
        eventId: 5,
        eventTime: msNumberToTs(t0),
        eventType: 30,
        markerRecordedEventAttributes: { markerName: 'core_patch', details: {} },
      } as unknown as HistoryEvent,
    ]);
    expect(t.activities).toEqual([]);
    expect(t.events[0].summary).toBe('marker core_patch recorded');
  });
});

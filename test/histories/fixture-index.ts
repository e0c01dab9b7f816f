/**
 * test/fixtures/histories/index.json: one entry per recorded history file, written by the
 * recorder (test/histories/record.ts) and read by the replay spec (workflows/replay.spec.ts).
 */
export interface FixtureEntry {
  file: string;
  workflowId: string;
  workflowType: string;
  events: number;
  bytes: number;
  /** Ids of the patch markers in the history: the patched() branches this run took. */
  patches: string[];
  scenario: string;
  what: string;
  /** Short commit of the code that ran it (`+uncommitted` when workflows/ had local changes). */
  recordedWith: string;
  recordedOn: string;
}

export type FixtureIndex = Record<string, FixtureEntry>;

interface JsonEvent {
  eventType?: string;
  workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
  markerRecordedEventAttributes?: {
    markerName?: string;
    details?: Record<string, { payloads?: { data?: string }[] }>;
  };
}

/** The SDK records each patched()/deprecatePatch() that returned true as a `core_patch` marker. */
export const PATCH_MARKER = 'core_patch';

export function describeHistory(history: { events?: JsonEvent[] }): {
  workflowType: string;
  events: number;
  patches: string[];
} {
  const events = history.events ?? [];
  const workflowType = events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  if (!workflowType)
    throw new Error('not a workflow history: the first event is not WorkflowExecutionStarted');
  const patches = new Set<string>();
  for (const e of events) {
    const m = e.markerRecordedEventAttributes;
    if (m?.markerName !== PATCH_MARKER) continue;
    const data = m.details?.['patch-data']?.payloads?.[0]?.data;
    const id = data
      ? (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id?: string }).id
      : undefined;
    if (!id) throw new Error(`a ${PATCH_MARKER} marker without a patch id: ${JSON.stringify(m)}`);
    patches.add(id);
  }
  return { workflowType, events: events.length, patches: [...patches].sort() };
}

/** `ActivityTaskScheduled` → `Activity task scheduled`. */
export function eventLabel(type: string): string {
  const words = type.includes('_')
    ? type
        .replace(/^EVENT_TYPE_/, '')
        .toLowerCase()
        .split('_')
    : type.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export type EventTone = 'ok' | 'fail' | 'warn' | 'info' | 'muted';

export function eventTone(type: string | undefined): EventTone {
  const t = (type ?? '').toUpperCase();
  if (/FAILED|TIMEDOUT|TIMED_OUT|TERMINATED/.test(t)) return 'fail';
  if (/CANCEL/.test(t)) return 'warn';
  if (/COMPLETED|FIRED/.test(t) && !t.startsWith('WORKFLOWTASK')) return 'ok';
  if (t.startsWith('WORKFLOWTASK') || t.startsWith('WORKFLOW_TASK')) return 'muted';
  return 'info';
}

/** Milliseconds between two ISO times, or undefined. */
export function msBetween(
  from: string | null | undefined,
  to: string | null | undefined,
): number | undefined {
  if (!from || !to) return undefined;
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : b - a;
}

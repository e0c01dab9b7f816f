/**
 * How a child of `npm start` (scripts/start.ts) says it listens: a message over the IPC channel
 * the supervisor gives it. A probe of the port could be answered by another server that holds it.
 */
const LISTENING = 'listening';

/** Tells the parent, if it gave us an IPC channel, then closes it so it never keeps us alive. */
export function announceListening(): void {
  process.send?.({ quillflow: LISTENING }, () => process.disconnect?.());
}

export function isListeningMessage(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { quillflow?: unknown }).quillflow === LISTENING
  );
}

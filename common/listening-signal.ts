/**
 * The IPC channel between `npm start` (scripts/start.ts) and each child it starts. A child says
 * over it that it listens (a probe of the port could be answered by another server that holds
 * it), and it stops when the channel closes: the supervisor is gone, even by kill -9, and a
 * child left running would hold its port and keep working unsupervised.
 */
const LISTENING = 'listening';

/**
 * Call first thing in a child's main: when the supervisor's channel closes, the child stops as on
 * SIGTERM (its own graceful shutdown). The channel is unref'd, so it never keeps the child alive.
 * Without a channel (started by hand, by a test, in a container) it does nothing.
 */
export function stopWithSupervisor(): void {
  if (!process.channel) return;
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** Tells the parent, if it gave us an IPC channel, that we listen. */
export function announceListening(): void {
  process.send?.({ quillflow: LISTENING });
}

export function isListeningMessage(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { quillflow?: unknown }).quillflow === LISTENING
  );
}

/**
 * A TCP relay between a worker process and Temporal that a test can close like a valve: while
 * held, nothing passes either way (the worker's activity completions never reach the server),
 * and release() drops the connections of the hold with whatever they carried. Calls a worker
 * finished during a hold are thus paid but never reported: after a kill -9 they run again.
 */
import * as net from 'node:net';

export interface TcpGate {
  /** host:port the worker connects to. */
  address: string;
  /** Stops every byte both ways, on open connections and on new ones (they wait in the gate). */
  hold(): void;
  /** Lets the held bytes through, as if nothing happened. */
  resume(): void;
  /** Destroys the connections of the hold (their bytes are lost) and lets new ones through. */
  release(): void;
  close(): Promise<void>;
}

export async function startTcpGate(target: string): Promise<TcpGate> {
  const [host, port] = splitHostPort(target);
  let held = false;
  const pairs = new Set<[net.Socket, net.Socket]>();
  const flushes = new Map<net.Socket, () => void>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const relay = (from: net.Socket, to: net.Socket) => {
      const waiting: Buffer[] = [];
      flushes.set(from, () => {
        for (const chunk of waiting.splice(0)) to.write(chunk);
      });
      from.on('data', (chunk: Buffer) => {
        if (held) waiting.push(chunk);
        else to.write(chunk);
      });
      from.on('close', () => {
        to.destroy();
        pairs.delete(pair);
        flushes.delete(from);
      });
      from.on('error', () => to.destroy());
    };
    relay(client, upstream);
    relay(upstream, client);
    if (held) for (const s of pair) s.pause();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port: own } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${own}`,
    hold() {
      held = true;
      for (const pair of pairs) for (const s of pair) s.pause();
    },
    resume() {
      held = false;
      for (const pair of pairs)
        for (const s of pair) {
          flushes.get(s)?.();
          s.resume();
        }
    },
    release() {
      for (const pair of pairs) for (const s of pair) s.destroy();
      pairs.clear();
      held = false;
    },
    async close() {
      for (const pair of pairs) for (const s of pair) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i) || '127.0.0.1', Number(address.slice(i + 1))];
}

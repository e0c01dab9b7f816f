import { useEffect, useRef, useState } from 'react';
import { getApiKey } from '../api/auth';

export type StreamState = 'connecting' | 'open' | 'closed' | 'error';
type Deliver = (name: string, raw: string) => boolean;

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // plain text event
  }
}

/** EventSource cannot send headers: with an API key the stream is read with fetch instead. */
async function readWithFetch(
  url: string,
  key: string,
  signal: AbortSignal,
  deliver: Deliver,
  setState: (s: StreamState) => void,
) {
  const res = await fetch(url, {
    headers: { Accept: 'text/event-stream', 'X-API-Key': key },
    signal,
  });
  if (!res.ok || !res.body) throw new Error(`stream refused: ${res.status}`);
  setState('open');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length && !deliver(name, data.join('\n'))) return;
    }
  }
}

/**
 * Subscribes to a Server-Sent Events stream while `url` is set. Every event (unnamed
 * `message` or one of `eventNames`) is parsed as JSON and handed to `onEvent`; EventSource
 * reconnects by itself after a drop. Returning `'close'` from onEvent ends the subscription.
 */
export function useEventSource(
  url: string | null,
  eventNames: string[],
  onEvent: (name: string, data: unknown) => void | 'close',
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const names = eventNames.join(',');

  useEffect(() => {
    if (!url) {
      setState('closed');
      return;
    }
    setState('connecting');
    const wanted = new Set(['message', ...names.split(',').filter(Boolean)]);
    /** Returns false once the handler asked to close. */
    const deliver: Deliver = (name, raw) => {
      if (!wanted.has(name)) return true;
      if (handler.current(name, parse(raw)) === 'close') {
        setState('closed');
        return false;
      }
      return true;
    };

    const key = getApiKey();
    if (key) {
      const ctl = new AbortController();
      readWithFetch(url, key, ctl.signal, deliver, setState).then(
        () => setState('closed'),
        () => !ctl.signal.aborted && setState('error'),
      );
      return () => ctl.abort();
    }

    const es = new EventSource(url);
    const listeners = [...wanted].map((n) => {
      const l = (ev: MessageEvent<string>) => {
        if (!deliver(n, ev.data)) es.close();
      };
      es.addEventListener(n, l);
      return [n, l] as const;
    });
    es.onopen = () => setState('open');
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'closed' : 'error');
    return () => {
      for (const [n, l] of listeners) es.removeEventListener(n, l);
      es.close();
    };
  }, [url, names]);

  return state;
}

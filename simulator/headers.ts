import type { IncomingHttpHeaders } from 'node:http';
import { sha256Hex } from './prng';
import type { AuthInfo } from './types';

// What the simulator remembers about request headers. Keys and cookies are never stored:
// stats are served over HTTP and end up in test logs, so secrets are replaced by a marker
// (the header's presence is still visible, which is what tests check).

const SECRET_HEADER = /authorization|api[-_]?key|cookie|secret|token|password|session/i;

export function safeHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADER.test(name)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return out;
}

export function authInfo(headers: IncomingHttpHeaders): AuthInfo {
  const authorization = headers.authorization;
  const apiKey = headers['api-key'];
  const prefix = (key: string): string => sha256Hex(key).slice(0, 12);
  if (typeof authorization === 'string' && authorization.length > 0) {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
    return {
      present: true,
      scheme: bearer ? 'bearer' : 'other',
      keySha256Prefix: prefix(bearer?.[1] ?? authorization),
    };
  }
  if (typeof apiKey === 'string' && apiKey.length > 0) {
    return { present: true, scheme: 'api-key', keySha256Prefix: prefix(apiKey) };
  }
  return { present: false, scheme: null, keySha256Prefix: null };
}

/** The key a request presented, for the optional apiKey check. */
export function presentedKey(headers: IncomingHttpHeaders): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  if (bearer?.[1]) return bearer[1];
  const apiKey = headers['api-key'];
  return typeof apiKey === 'string' ? apiKey : null;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

import type { Env } from '../../common/config';

/**
 * Who may talk to /mcp. DNS rebinding: a web page on evil.example can make a browser send
 * requests to 127.0.0.1 under its own name, so the Host must be one we serve under, and a
 * browser's Origin must be one we trust. API keys and roles are checked for every route, /mcp
 * included, by the one auth middleware (api/http/auth), before this runs.
 */
export interface McpHttpPolicy {
  allowedHosts: ReadonlySet<string> | 'any';
  allowedOrigins: ReadonlySet<string>;
}

export interface McpHttpHeaders {
  host?: string;
  origin?: string;
}

export interface Refusal {
  status: 403;
  message: string;
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

export function mcpHttpPolicy(
  env: Pick<Env, 'MCP_ALLOWED_HOSTS' | 'MCP_ALLOWED_ORIGINS' | 'PUBLIC_URL'>,
): McpHttpPolicy {
  const hosts = new Set(LOCAL_HOSTS);
  for (const h of env.MCP_ALLOWED_HOSTS) hosts.add(h.toLowerCase());
  const origins = new Set(env.MCP_ALLOWED_ORIGINS.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  if (env.PUBLIC_URL) {
    try {
      const u = new URL(env.PUBLIC_URL);
      hosts.add(u.hostname.toLowerCase());
      origins.add(u.origin.toLowerCase());
    } catch {
      /* an unparsable PUBLIC_URL adds nothing */
    }
  }
  return {
    allowedHosts: hosts.has('*') ? 'any' : hosts,
    allowedOrigins: origins,
  };
}

function originAllowed(origin: string, p: McpHttpPolicy): boolean {
  if (p.allowedOrigins.has('*')) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // includes "null" (sandboxed frames, file://)
  }
  if (p.allowedOrigins.has(u.origin.toLowerCase())) return true;
  // A page served from a host we serve under is same-site; with any host allowed, only local pages are.
  const hostname = u.hostname.toLowerCase();
  return p.allowedHosts === 'any' ? LOCAL_HOSTS.includes(hostname) : p.allowedHosts.has(hostname);
}

/** Undefined when the request may proceed; otherwise the status and why. */
export function checkMcpHttpRequest(h: McpHttpHeaders, p: McpHttpPolicy): Refusal | undefined {
  if (p.allowedHosts !== 'any') {
    const hostname = h.host ? hostnameOf(h.host) : undefined;
    if (!hostname || !p.allowedHosts.has(hostname)) {
      return {
        status: 403,
        message: `Host not allowed: ${h.host ?? '(none)'}; add it to MCP_ALLOWED_HOSTS`,
      };
    }
  }
  if (h.origin !== undefined && !originAllowed(h.origin, p)) {
    return {
      status: 403,
      message: `Origin not allowed: ${h.origin}; add it to MCP_ALLOWED_ORIGINS`,
    };
  }
  return undefined;
}

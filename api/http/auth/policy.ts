/**
 * Roles, weakest first (docs/SECURITY.md):
 *  - `public`: no key needed (the landing page, health probes, API docs, the web app's files);
 *  - `user`: any configured key (API_KEYS or ADMIN_API_KEYS): read everything, start work;
 *  - `admin`: an ADMIN_API_KEYS key: delete data, cancel/terminate runs, control batches,
 *    change schedules.
 * Each route's role sits beside it: `@Access` on Nest controllers, a declaration where anything
 * else is mounted; api/http/routes/route-table.ts looks requests up.
 */
export type Role = 'public' | 'user' | 'admin';
/** The role a presented key carries. */
export type KeyRole = Exclude<Role, 'public'>;

/**
 * The role of a request no route matches: reading needs any key (so route names are not probed
 * for free), anything else an admin key (deny by default).
 */
export function roleWhenUnmatched(method: string): KeyRole {
  return ['GET', 'HEAD'].includes(method.toUpperCase()) ? 'user' : 'admin';
}

/**
 * Express matches routes case-insensitively and with or without one trailing slash, so the
 * route table sees `/API/Stories/` as `/api/stories`.
 */
export function normalisePath(path: string): string {
  const p = path.toLowerCase().replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

/** `.` or `..` segments (also percent-encoded): such a path is never public. */
export function hasDotSegment(path: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true; // undecodable: treat as suspicious
  }
  return decoded.split(/[/\\]/).some((s) => s === '.' || s === '..');
}

export function satisfies(have: KeyRole, need: Role): boolean {
  return need === 'public' || need === 'user' || have === 'admin';
}

/**
 * MCP tools that change or stop what others started need an admin key over HTTP. Any tool
 * annotated destructiveHint: true needs one too, so a new destructive tool is covered even
 * before it is listed here.
 */
export const MCP_ADMIN_TOOLS: readonly string[] = [
  'cancel_run',
  'pause_batch',
  'resume_batch',
  'cancel_batch',
];

export function requiredToolRole(
  name: string,
  annotations?: { destructiveHint?: boolean },
): KeyRole {
  return MCP_ADMIN_TOOLS.includes(name) || annotations?.destructiveHint === true ? 'admin' : 'user';
}

export const ADMIN_NEEDED_MESSAGE =
  'This needs an admin API key (ADMIN_API_KEYS): deleting data, cancelling or terminating runs, batch control and schedule changes are admin-only; this key may read and start generations';

/**
 * Undefined when the caller may run the tool; otherwise why not. `scopes` is what the HTTP
 * middleware admitted the request as (`extra.authInfo`); without it the call did not come over
 * HTTP (stdio: the local user who started the server), and every tool is allowed.
 */
export function toolAccessRefusal(
  name: string,
  annotations: { destructiveHint?: boolean } | undefined,
  auth: { scopes: readonly string[] } | undefined,
): string | undefined {
  if (!auth) return undefined;
  if (requiredToolRole(name, annotations) === 'admin' && !auth.scopes.includes('admin')) {
    return `The tool ${name} ${ADMIN_NEEDED_MESSAGE.replace(/^This /, '')}`;
  }
  return undefined;
}

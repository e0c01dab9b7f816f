import { ACCEPTED_FRAMEWORK_SPELLINGS } from '../../../common/frameworks';

/**
 * Who may call what, as one table (docs/SECURITY.md explains it). Roles, weakest first:
 *  - `public`: no key needed (the landing page, health probes, API docs, the web app's files);
 *  - `user`: any configured key (API_KEYS or ADMIN_API_KEYS): read everything, start work;
 *  - `admin`: an ADMIN_API_KEYS key: delete data, cancel/terminate runs, control batches,
 *    change schedules.
 * The first rule whose method and path match decides; a request no rule matches needs an
 * admin key (deny by default: a new mutating route is admin-only until it is listed here).
 */
export type Role = 'public' | 'user' | 'admin';
/** The role a presented key carries. */
export type KeyRole = Exclude<Role, 'public'>;

export interface AccessRule {
  methods: readonly string[] | '*';
  /** Matched against the normalised path (lower case, no trailing slash, no query). */
  path: RegExp;
  role: Role;
  what: string;
}

const READ = ['GET', 'HEAD'] as const;
const ID = '[^/]+';

export const ACCESS_RULES: readonly AccessRule[] = [
  // A CORS preflight never carries credentials; the CORS middleware answers it before this.
  { methods: ['OPTIONS'], path: /^.*$/, role: 'public', what: 'CORS preflights' },
  { methods: READ, path: /^\/?$/, role: 'public', what: 'landing page' },
  { methods: READ, path: /^\/favicon\.ico$/, role: 'public', what: 'favicon' },
  { methods: READ, path: /^\/health(\/(live|ready))?$/, role: 'public', what: 'health probes' },
  { methods: READ, path: /^\/openapi\.json$/, role: 'public', what: 'OpenAPI document' },
  {
    methods: READ,
    path: /^\/api\/docs(\/.*|-json|-yaml)?$/,
    role: 'public',
    what: 'Swagger UI and its assets',
  },
  { methods: READ, path: /^\/api\/redoc(\/.*)?$/, role: 'public', what: 'ReDoc and its bundle' },
  {
    methods: READ,
    path: /^\/ui(\/.*)?$/,
    role: 'public',
    what: 'web app static files (its API calls need a key)',
  },

  // Starting work: any key.
  { methods: ['POST'], path: /^\/api\/stories$/, role: 'user', what: 'start a story' },
  {
    methods: ['POST'],
    path: new RegExp(`^/api/(${ACCEPTED_FRAMEWORK_SPELLINGS.join('|')})$`),
    role: 'user',
    what: 'generate a story (compatibility routes)',
  },
  {
    methods: ['POST'],
    path: new RegExp(`^/api/chat/${ID}$`),
    role: 'user',
    what: 'send a chat message',
  },
  {
    methods: ['POST'],
    path: /^\/api\/context\/(upload|execute)$/,
    role: 'user',
    what: 'upload a context file, run a context prompt',
  },
  { methods: ['POST'], path: /^\/api\/batches$/, role: 'user', what: 'start a batch' },
  {
    methods: ['POST'],
    path: new RegExp(`^/api/runs/${ID}/rerun$`),
    role: 'user',
    what: 'rerun a story or batch with the same input',
  },
  {
    methods: ['POST'],
    path: /^\/mcp$/,
    role: 'user',
    what: 'MCP over HTTP (each tool has its own role: MCP_ADMIN_TOOLS)',
  },

  // Changing or destroying: admin (listed for the reader; the default says the same).
  {
    methods: ['DELETE'],
    path: /^.*$/,
    role: 'admin',
    what: 'every DELETE route (stories, conversations, files, cost data, schedules)',
  },
  {
    methods: ['POST'],
    path: new RegExp(`^/api/runs/${ID}/(cancel|terminate)$`),
    role: 'admin',
    what: 'cancel or terminate a run',
  },
  {
    methods: ['POST'],
    path: new RegExp(`^/api/batches/${ID}/(pause|resume|cancel|retry-failed|concurrency)$`),
    role: 'admin',
    what: 'batch control',
  },
  {
    methods: ['POST', 'PUT', 'PATCH'],
    path: /^\/api\/schedules(\/.*)?$/,
    role: 'admin',
    what: 'create, pause, unpause, trigger schedules',
  },

  // Reading: any key (API, /logs, /metrics, and unknown paths, so route names are not probed for free).
  { methods: READ, path: /^.*$/, role: 'user', what: 'every other read' },
];

export const DEFAULT_ROLE: Role = 'admin';

/**
 * The role of a request no route matches: reading needs any key (so route names are not probed
 * for free), anything else an admin key (deny by default).
 */
export function roleWhenUnmatched(method: string): Exclude<Role, 'public'> {
  return ['GET', 'HEAD'].includes(method.toUpperCase()) ? 'user' : 'admin';
}

/**
 * Express matches routes case-insensitively and with or without one trailing slash, so the
 * policy must see `/API/Stories/` as `/api/stories`.
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

export function matchRule(method: string, path: string): AccessRule | undefined {
  const m = method.toUpperCase();
  const p = normalisePath(path);
  const dotted = hasDotSegment(path);
  return ACCESS_RULES.find(
    (r) =>
      (r.methods === '*' || r.methods.includes(m)) &&
      r.path.test(p) &&
      !(dotted && r.role === 'public'),
  );
}

/** The role a request needs. */
export function requiredRole(method: string, path: string): Role {
  return matchRule(method, path)?.role ?? DEFAULT_ROLE;
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

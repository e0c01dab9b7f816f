/**
 * The startup contract between Quillflow and any Temporal cluster: the namespace exists and each
 * of Quillflow's search attributes (SEARCH_ATTRIBUTE_KEYS) is registered on it with its type.
 * One function, `ensureNamespaceContract`, checks it, sets up what is missing when allowed
 * (TEMPORAL_NAMESPACE_SETUP), and otherwise refuses with the exact commands that fix it. The API
 * and the worker call it at start; `inspectNamespace` is the read-only check behind
 * `/health/ready`, and `temporalSetupProblemOf` recognises the same problems in a refused request.
 */
import type { Connection } from '@temporalio/client';
import { NamespaceNotFoundError, type SearchAttributeType } from '@temporalio/common';
// msToTs builds the proto Duration (Long seconds) without depending on the long package here.
import { msToTs } from './sdk-internals';
import type { Logger } from '../common/logger';
import { grpcCode } from './connection';
import { ensureSearchAttributes, listCustomSearchAttributes } from './search-attribute-registry';
import { CLI_SEARCH_ATTRIBUTE_TYPE_NAMES, SEARCH_ATTRIBUTES } from './search-attributes';

/** What the contract needs of a connection: the client's `Connection` and the worker's `NativeConnection` both have it. */
export type TemporalAdmin = Pick<
  Connection,
  'workflowService' | 'operatorService' | 'withDeadline'
>;

export type SetupProblem =
  | { kind: 'namespace_missing' }
  | { kind: 'attribute_missing'; name: string; type: SearchAttributeType }
  | { kind: 'attribute_wrong_type'; name: string; type: SearchAttributeType; actual: string };

export interface NamespaceTarget {
  namespace: string;
  /** host:port; used to tell a local cluster from a remote one, and named in start-up messages only. */
  address: string;
  /** Temporal Cloud (an API key or a *.tmprl.cloud address): the fix names the Cloud UI and tcld too. */
  cloud: boolean;
  /** Retention of a namespace created by the contract, e.g. `720h`. */
  retention: string;
}

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNIMPLEMENTED = 12;
const GRPC_UNAUTHENTICATED = 16;

const CLI_TYPE = CLI_SEARCH_ATTRIBUTE_TYPE_NAMES;
const KEYS_BY_NAME = new Map(SEARCH_ATTRIBUTES.map((k) => [k.name, k]));

/** `auto`: allowed on a loopback address without an API key (a local dev cluster); off for remote clusters and Temporal Cloud. */
export function setupAllowed(
  setting: 'auto' | 'true' | 'false',
  target: { address: string; apiKey?: string },
): boolean {
  if (setting !== 'auto') return setting === 'true';
  return !target.apiKey && isLoopbackAddress(target.address);
}

export function isLoopbackAddress(address: string): boolean {
  const host = /^\[([^\]]+)\]/.exec(address)?.[1] ?? address.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function isTemporalCloud(target: { address: string; apiKey?: string }): boolean {
  return Boolean(target.apiKey) || /\.tmprl\.cloud(:\d+)?$/i.test(target.address);
}

/**
 * The namespace's problems, read-only: one ListSearchAttributes call (NOT_FOUND = no namespace).
 * Throws what the server said when it gives no answer (unreachable, refused).
 */
export async function inspectNamespace(
  connection: TemporalAdmin,
  namespace: string,
  deadlineMs = 5_000,
): Promise<SetupProblem[]> {
  let existing: Awaited<ReturnType<typeof listCustomSearchAttributes>>;
  try {
    existing = await connection.withDeadline(Date.now() + deadlineMs, () =>
      listCustomSearchAttributes(connection, namespace),
    );
  } catch (err) {
    if (grpcCode(err) === GRPC_NOT_FOUND) return [{ kind: 'namespace_missing' }];
    throw err;
  }
  const problems: SetupProblem[] = [];
  for (const key of SEARCH_ATTRIBUTES) {
    const actual = existing[key.name];
    if (actual === undefined)
      problems.push({ kind: 'attribute_missing', name: key.name, type: key.type });
    else if (actual !== key.type)
      problems.push({ kind: 'attribute_wrong_type', name: key.name, type: key.type, actual });
  }
  return problems;
}

/** One line per problem, e.g. `search attribute CorrelationId (Keyword) is not registered`. */
export function describeProblem(p: SetupProblem, namespace: string): string {
  switch (p.kind) {
    case 'namespace_missing':
      return `namespace "${namespace}" does not exist`;
    case 'attribute_missing':
      return `search attribute ${p.name} (${CLI_TYPE[p.type]}) is not registered on namespace "${namespace}"`;
    case 'attribute_wrong_type':
      return (
        `search attribute ${p.name} is registered on namespace "${namespace}" as ` +
        `${CLI_TYPE[p.actual as SearchAttributeType] ?? p.actual}; Quillflow needs ${CLI_TYPE[p.type]}`
      );
  }
}

/**
 * The `temporal` CLI commands that fix the problems: the namespace first, then one create per
 * attribute (CLI 1.5.1 accepts --name several times but registers only the first, checked). A wrong type cannot be changed in
 * place: it is removed and created again. `address` is added only when given (start-up
 * messages; never in HTTP answers).
 */
export function fixCommands(
  problems: SetupProblem[],
  target: Pick<NamespaceTarget, 'namespace' | 'retention'>,
  address?: string,
): string[] {
  const ns = `--namespace ${target.namespace}`;
  const at = address ? ` --address ${address}` : '';
  const out: string[] = [];
  if (problems.some((p) => p.kind === 'namespace_missing')) {
    out.push(`temporal operator namespace create${at} ${ns} --retention ${target.retention}`);
  }
  const wrong = problems.filter((p) => p.kind === 'attribute_wrong_type');
  for (const p of wrong)
    out.push(`temporal operator search-attribute remove${at} ${ns} --name ${p.name} --yes`);
  // A missing namespace has none of them.
  const toCreate = problems.some((p) => p.kind === 'namespace_missing')
    ? SEARCH_ATTRIBUTES.map((k) => ({ name: k.name, type: k.type }))
    : problems.flatMap((p) =>
        p.kind === 'namespace_missing' ? [] : [{ name: p.name, type: p.type }],
      );
  for (const a of toCreate) {
    out.push(
      `temporal operator search-attribute create${at} ${ns} --name ${a.name} --type ${CLI_TYPE[a.type]}`,
    );
  }
  return out;
}

/** For Temporal Cloud, where the CLI's operator commands are not how namespaces are managed. */
export function cloudFixLine(problems: SetupProblem[], namespace: string): string {
  const attrs = problems.flatMap((p) =>
    p.kind === 'namespace_missing' ? [] : [`${p.name}=${CLI_TYPE[p.type]}`],
  );
  const all = problems.some((p) => p.kind === 'namespace_missing')
    ? SEARCH_ATTRIBUTES.map((k) => `${k.name}=${CLI_TYPE[k.type]}`)
    : attrs;
  return (
    (problems.some((p) => p.kind === 'namespace_missing')
      ? `Temporal Cloud: create namespace "${namespace}" in the Cloud UI (Namespaces → Create Namespace), then add the search attributes there. `
      : `Temporal Cloud: add them in the Cloud UI (Namespaces → ${namespace} → Search attributes) or with `) +
    `tcld namespace search-attributes add --namespace ${namespace} ${all.map((a) => `--search-attribute "${a}"`).join(' ')}`
  );
}

/**
 * Exit status of an API or worker that refused to start for this (sysexits' EX_CONFIG): a
 * supervisor can tell it from a crash, since restarting will not help until someone acts.
 */
export const EXIT_TEMPORAL_NOT_SET_UP = 78;

/** Refused: the message names each problem and the commands that fix it. */
export class TemporalNotSetUpError extends Error {
  override name = 'TemporalNotSetUpError';
  constructor(
    readonly problems: SetupProblem[],
    readonly commands: string[],
    message: string,
  ) {
    super(message);
  }
}

function refusal(
  problems: SetupProblem[],
  target: NamespaceTarget,
  why: string,
): TemporalNotSetUpError {
  const local = isLoopbackAddress(target.address);
  const commands = fixCommands(problems, target, local ? undefined : target.address);
  const lines = [
    `Temporal namespace "${target.namespace}" is not set up for Quillflow (${why}):`,
    ...problems.map((p) => `  - ${describeProblem(p, target.namespace)}`),
    target.cloud
      ? 'Fix with the Temporal CLI (add --api-key/--tls as for your namespace):'
      : 'Fix with the Temporal CLI:',
    ...commands.map((c) => `  ${c}`),
    ...(target.cloud ? [cloudFixLine(problems, target.namespace)] : []),
    'Or let Quillflow do it at start: TEMPORAL_NAMESPACE_SETUP=true (needs a key allowed to create namespaces and search attributes).',
  ];
  return new TemporalNotSetUpError(problems, commands, lines.join('\n'));
}

export type ContractOutcome =
  | { status: 'ok'; namespaceCreated: boolean; registered: string[] }
  /** The server could not be asked (unreachable, or the key may not list attributes): started anyway. */
  | { status: 'unverified'; reason: string };

export interface EnsureContractOptions extends NamespaceTarget {
  /** Create the namespace and register missing attributes (see `setupAllowed`). */
  allowSetup: boolean;
  log: Logger;
  /** How long a new namespace may take to reach the frontend's cache. Default 30 s. */
  settleMs?: number;
}

/**
 * Checks the contract; when `allowSetup`, creates the namespace and registers what is missing.
 * Throws TemporalNotSetUpError when something is still missing or mistyped.
 *
 * A server that cannot be asked does not stop the process: the API's readiness reports the
 * problem (503 with `temporal` or `temporal_setup` failed) and recovers by itself once the
 * server answers, and the worker's pollers retry; refusing would turn a network blip during a
 * rollout into a crash loop, and an unreachable server says nothing about its namespace.
 */
export async function ensureNamespaceContract(
  connection: TemporalAdmin,
  o: EnsureContractOptions,
): Promise<ContractOutcome> {
  const ns = o.namespace;
  let problems: SetupProblem[];
  try {
    problems = await inspectNamespace(connection, ns);
  } catch (err) {
    return unverified(err, o);
  }
  if (!problems.length) return { status: 'ok', namespaceCreated: false, registered: [] };
  if (!o.allowSetup) {
    const err = refusal(
      problems,
      o,
      'TEMPORAL_NAMESPACE_SETUP does not allow Quillflow to change it',
    );
    o.log.error(
      { namespace: ns, problems: problems.map((p) => describeProblem(p, ns)), fix: err.commands },
      'Temporal namespace is not set up for Quillflow',
    );
    throw err;
  }
  if (problems.some((p) => p.kind === 'attribute_wrong_type')) {
    // Removing an attribute drops its values from existing runs: an operator's decision.
    const err = refusal(problems, o, 'a search attribute type cannot be changed in place');
    o.log.error(
      { namespace: ns, problems: problems.map((p) => describeProblem(p, ns)), fix: err.commands },
      'Temporal namespace is not set up for Quillflow',
    );
    throw err;
  }
  try {
    let namespaceCreated = false;
    if (problems.some((p) => p.kind === 'namespace_missing')) {
      namespaceCreated = await createNamespace(connection, o);
      await waitUntilListable(connection, ns, o.settleMs ?? 30_000);
    }
    const { added } = await ensureSearchAttributes(connection, ns, SEARCH_ATTRIBUTES, (m) =>
      o.log.info(m),
    );
    o.log.info(
      { namespace: ns, namespaceCreated, registered: added },
      'Temporal namespace set up for Quillflow',
    );
    return { status: 'ok', namespaceCreated, registered: added };
  } catch (err) {
    // Another Quillflow process may have set it up meanwhile: only what is still missing counts.
    const still = await inspectNamespace(connection, ns).catch(() => problems);
    if (!still.length) return { status: 'ok', namespaceCreated: false, registered: [] };
    const code = grpcCode(err);
    if (
      ![
        GRPC_PERMISSION_DENIED,
        GRPC_UNAUTHENTICATED,
        GRPC_UNIMPLEMENTED,
        GRPC_INVALID_ARGUMENT,
      ].includes(code ?? -1)
    )
      return unverified(err, o);
    const refused = refusal(still, o, `the server refused to set it up: ${(err as Error).message}`);
    o.log.error(
      { namespace: ns, err, fix: refused.commands },
      'Temporal refused to set up the namespace for Quillflow',
    );
    throw refused;
  }
}

function unverified(err: unknown, o: EnsureContractOptions): ContractOutcome {
  const code = grpcCode(err);
  const reason =
    code === GRPC_PERMISSION_DENIED || code === GRPC_UNIMPLEMENTED
      ? 'the server does not let this key list search attributes'
      : `Temporal did not answer: ${(err as Error).message}`;
  o.log.warn(
    { namespace: o.namespace, reason },
    'could not check the Temporal namespace set-up at start; starting anyway, /health/ready reports it',
  );
  return { status: 'unverified', reason };
}

async function createNamespace(
  connection: TemporalAdmin,
  o: EnsureContractOptions,
): Promise<boolean> {
  const seconds = durationSeconds(o.retention);
  o.log.info({ namespace: o.namespace, retention: o.retention }, 'creating the Temporal namespace');
  try {
    await connection.workflowService.registerNamespace({
      namespace: o.namespace,
      workflowExecutionRetentionPeriod: msToTs(seconds * 1000),
      description: 'Quillflow',
    });
    return true;
  } catch (err) {
    if (grpcCode(err) === GRPC_ALREADY_EXISTS) return false; // another process (worker/API) was first
    throw err;
  }
}

/** A new namespace answers DescribeNamespace at once but ListSearchAttributes only once the frontend's registry has it. */
async function waitUntilListable(
  connection: TemporalAdmin,
  namespace: string,
  ms: number,
): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await listCustomSearchAttributes(connection, namespace);
      return;
    } catch (err) {
      if (grpcCode(err) !== GRPC_NOT_FOUND || Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** `720h`, `30d`, `90m`, `3600s` → seconds (what TEMPORAL_NAMESPACE_RETENTION accepts). */
export function durationSeconds(text: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 720h or 30d)`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/**
 * The set-up problem behind an error of a Temporal call, if that is what it is: a start with an
 * attribute the namespace lacks (INVALID_ARGUMENT "... no mapping defined for search attribute
 * X"), a visibility query naming one ("'X' is not a valid search attribute"), or a namespace
 * that does not exist. Only Quillflow's own attributes count: other names are a caller's query.
 */
export function temporalSetupProblemOf(err: unknown): SetupProblem | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (e instanceof NamespaceNotFoundError) return { kind: 'namespace_missing' };
    const code = grpcCode(e);
    const details = (e as { details?: unknown }).details;
    const text = `${typeof details === 'string' ? details : ''} ${(e as Error).message ?? ''}`;
    if (code === GRPC_NOT_FOUND && /namespace .* (is )?not found/i.test(text))
      return { kind: 'namespace_missing' };
    if (code !== GRPC_INVALID_ARGUMENT) continue;
    const name =
      /no mapping defined for search attribute (\w+)/i.exec(text)?.[1] ??
      /'(\w+)' is not a valid search attribute/i.exec(text)?.[1];
    const key = name === undefined ? undefined : KEYS_BY_NAME.get(name);
    if (key) return { kind: 'attribute_missing', name: key.name, type: key.type };
  }
  return undefined;
}

/** The contract's settings from the configuration (common/config.ts). */
export function contractOptionsFromEnv(
  env: {
    TEMPORAL_ADDRESS: string;
    TEMPORAL_NAMESPACE: string;
    TEMPORAL_API_KEY?: string;
    TEMPORAL_NAMESPACE_SETUP: 'auto' | 'true' | 'false';
    TEMPORAL_NAMESPACE_RETENTION: string;
  },
  log: Logger,
): EnsureContractOptions {
  const target = { address: env.TEMPORAL_ADDRESS, apiKey: env.TEMPORAL_API_KEY };
  return {
    namespace: env.TEMPORAL_NAMESPACE,
    address: env.TEMPORAL_ADDRESS,
    cloud: isTemporalCloud(target),
    retention: env.TEMPORAL_NAMESPACE_RETENTION,
    allowSetup: setupAllowed(env.TEMPORAL_NAMESPACE_SETUP, target),
    log,
  };
}

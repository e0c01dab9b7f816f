import { FRAMEWORK_CATALOG } from '../activities/frameworks/catalog';
import type { FrameworkInfo } from './framework-info';

/**
 * The generation frameworks as everything but their implementations sees them: workflows, the
 * API, MCP and the cost estimates. Each framework is a folder under activities/frameworks/: its
 * `info.ts` (a `FrameworkInfo`, read here) and its implementation; catalog.ts there lists them.
 *
 * URLs use kebab-case (`semantic-kernel`), records use the original's snake_case
 * (`semantic_kernel`); both spellings are accepted everywhere so a client never gets a 500 (or a
 * split cost row) for choosing the "wrong" one.
 */

export { defineFramework, type FrameworkInfo, type StoryCall } from './framework-info';
export { FRAMEWORK_CATALOG };
export type Framework = keyof typeof FRAMEWORK_CATALOG;

/** The failure type of a run whose framework this code does not know (a client that skipped validation). */
export const UNKNOWN_FRAMEWORK = 'UnknownFramework';

export function isFramework(value: string): value is Framework {
  return Object.prototype.hasOwnProperty.call(FRAMEWORK_CATALOG, value);
}

export const FRAMEWORKS: readonly Framework[] = Object.keys(FRAMEWORK_CATALOG).filter(isFramework);

function perFramework<T>(value: (info: FrameworkInfo) => T): Record<Framework, T> {
  const out: Partial<Record<Framework, T>> = {};
  for (const f of FRAMEWORKS) out[f] = value(FRAMEWORK_CATALOG[f]);
  if (!hasEvery(out, FRAMEWORKS))
    throw new Error('unreachable: every framework was just filled in');
  return out;
}

/** `o` has a value for every key (a real check, so the narrowing needs no cast). */
export function hasEvery<K extends string, V>(
  o: Partial<Record<K, V>>,
  keys: readonly K[],
): o is Record<K, V> {
  return keys.every((k) => o[k] !== undefined);
}

export const FRAMEWORK_SLUGS = perFramework((f) => f.slug);
export const FRAMEWORK_LABELS = perFramework((f) => f.label);

/** Returns the canonical id for any accepted spelling, or undefined. */
export function normalizeFramework(value: unknown): Framework | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase().replace(/-/g, '_');
  return isFramework(v) ? v : undefined;
}

/** Each framework's slug, then its id where that is spelled differently. */
export const ACCEPTED_FRAMEWORK_SPELLINGS: readonly string[] = FRAMEWORKS.flatMap((f) =>
  FRAMEWORK_SLUGS[f] === f ? [f] : [FRAMEWORK_SLUGS[f], f],
);

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length < 2
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** For messages: `semantic-kernel, langchain, langgraph`. */
export const FRAMEWORK_SLUG_LIST = FRAMEWORKS.map((f) => FRAMEWORK_SLUGS[f]).join(', ');

/** For parameter descriptions: `semantic-kernel (or semantic_kernel), langchain or langgraph`. */
export const FRAMEWORK_SPELLINGS_IN_WORDS = orList(
  FRAMEWORKS.map((f) => (FRAMEWORK_SLUGS[f] === f ? f : `${FRAMEWORK_SLUGS[f]} (or ${f})`)),
);

/**
 * Quillflow's custom search attributes: the single source of truth.
 *
 * Workflow code imports this file (to upsert attributes), so it must stay deterministic and
 * sandbox-safe: import only from `@temporalio/common`, never Node built-ins or I/O libraries.
 * Server-side registration (OperatorService) lives in `search-attribute-registry.ts`.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
// The key interface is not re-exported from the package root (sdk-internals.ts wraps its deep
// path); a type-only import is erased at build time, so the sandbox never loads that module.
import type { SearchAttributeKey } from './sdk-internals';

/**
 * Typed keys, for `upsertSearchAttributes([{ key: SEARCH_ATTRIBUTE_KEYS.CostUsd, value: 0.12 }])`,
 * `typedSearchAttributes` on workflow start, and visibility queries.
 */
export const SEARCH_ATTRIBUTE_KEYS = {
  Framework: defineSearchAttributeKey('Framework', SearchAttributeType.KEYWORD),
  LlmModel: defineSearchAttributeKey('LlmModel', SearchAttributeType.KEYWORD),
  LlmProvider: defineSearchAttributeKey('LlmProvider', SearchAttributeType.KEYWORD),
  /** One of ORIGINS (common/origins.ts: a column too, so the list lives there). */
  Origin: defineSearchAttributeKey('Origin', SearchAttributeType.KEYWORD),
  BatchId: defineSearchAttributeKey('BatchId', SearchAttributeType.KEYWORD),
  CostUsd: defineSearchAttributeKey('CostUsd', SearchAttributeType.DOUBLE),
  TotalTokens: defineSearchAttributeKey('TotalTokens', SearchAttributeType.INT),
  GenerationState: defineSearchAttributeKey('GenerationState', SearchAttributeType.KEYWORD),
  CorrelationId: defineSearchAttributeKey('CorrelationId', SearchAttributeType.KEYWORD),
  /** One of WORKFLOW_KINDS (common/run-statuses.ts). */
  WorkflowKind: defineSearchAttributeKey('WorkflowKind', SearchAttributeType.KEYWORD),
} as const;

export type QuillflowSearchAttributeName = keyof typeof SEARCH_ATTRIBUTE_KEYS;

/** All keys as a list, e.g. for `TestWorkflowEnvironment.createLocal({ server: { searchAttributes } })`. */
export const SEARCH_ATTRIBUTES: readonly SearchAttributeKey<SearchAttributeType>[] =
  Object.values(SEARCH_ATTRIBUTE_KEYS);

/** The type names the `temporal` CLI expects (`--search-attribute Name=Type`, `--type Type`). */
export const CLI_SEARCH_ATTRIBUTE_TYPE_NAMES: Readonly<Record<SearchAttributeType, string>> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** `Name=Type` for one key, as `temporal server start-dev --search-attribute` takes it. */
export function toCliSearchAttributeSpec(key: SearchAttributeKey<SearchAttributeType>): string {
  return `${key.name}=${CLI_SEARCH_ATTRIBUTE_TYPE_NAMES[key.type]}`;
}

/** `['Framework=Keyword', 'CostUsd=Double', ...]` for every Quillflow attribute. */
export const SEARCH_ATTRIBUTE_CLI_SPECS: readonly string[] =
  SEARCH_ATTRIBUTES.map(toCliSearchAttributeSpec);

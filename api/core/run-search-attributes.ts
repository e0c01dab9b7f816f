import type { SearchAttributePair } from '@temporalio/common';
import type { ProviderConfig } from '../../common/config';
import type { Framework } from '../../common/frameworks';
import type { Origin } from '../../common/origins';
import type { WorkflowKind } from '../../common/run-statuses';
import { SEARCH_ATTRIBUTE_KEYS as SA } from '../../temporal/search-attributes';

export interface RunAttributes {
  kind: WorkflowKind;
  origin: Origin;
  correlationId: string;
  /** The primary provider: the one its calls go to unless they fail over. */
  provider: Pick<ProviderConfig, 'name' | 'model'>;
  /** Absent for a batch (its items name theirs). */
  framework?: Framework;
  /** Absent for a chat (its turns come and go). */
  state?: 'queued' | 'running';
}

/** The search attributes every run starts with, so operators can filter runs in the Temporal UI and the API. */
export function runSearchAttributes(a: RunAttributes): SearchAttributePair[] {
  return [
    { key: SA.WorkflowKind, value: a.kind },
    ...(a.framework ? [{ key: SA.Framework, value: a.framework }] : []),
    { key: SA.Origin, value: a.origin },
    { key: SA.CorrelationId, value: a.correlationId },
    ...(a.state ? [{ key: SA.GenerationState, value: a.state }] : []),
    { key: SA.LlmProvider, value: a.provider.name },
    { key: SA.LlmModel, value: a.provider.model },
  ];
}

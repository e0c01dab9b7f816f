import { ApplicationFailure } from '@temporalio/common';
import {
  FRAMEWORK_CATALOG,
  FRAMEWORKS,
  hasEvery,
  UNKNOWN_FRAMEWORK,
  type Framework,
} from '../../common/frameworks';
import type { FrameworkImpl } from './framework';
import { langchain } from './langchain';
import { langgraph } from './langgraph';
import { semanticKernel } from './semantic-kernel';

/**
 * Every framework's implementation, keyed as the catalog is. Typed per framework: leaving one out,
 * or pairing it with another's info, is a compile error.
 */
export const FRAMEWORK_REGISTRY: {
  readonly [F in Framework]: FrameworkImpl<(typeof FRAMEWORK_CATALOG)[F]>;
} = {
  semantic_kernel: semanticKernel,
  langchain,
  langgraph,
};

/**
 * The frameworks a worker runs: production's, or (tests) production's plus fixtures. Activities
 * take it as a parameter (createActivities), so extending it never widens what the API accepts.
 */
export type FrameworkRegistry = Readonly<Record<Framework, FrameworkImpl>> &
  Readonly<Record<string, FrameworkImpl>>;

/** The implementation of `id`, or a non-retryable failure (only a client that skipped validation gets here). */
export function frameworkImpl(frameworks: FrameworkRegistry, id: string): FrameworkImpl {
  if (!Object.prototype.hasOwnProperty.call(frameworks, id)) {
    throw ApplicationFailure.nonRetryable(
      `Unknown framework "${id.slice(0, 40)}"`,
      UNKNOWN_FRAMEWORK,
    );
  }
  return frameworks[id];
}

type Capability = 'story' | 'chat';
type ActivityName<C extends Capability> = (typeof FRAMEWORK_CATALOG)[Framework][C]['activity'];

/**
 * One activity per framework for a capability, under the activity type its info names (the
 * types the workflows schedule). Keyed by production's names for the type; fixtures add theirs.
 */
export function activitiesPerFramework<C extends Capability, Fn>(
  frameworks: FrameworkRegistry,
  capability: C,
  make: (f: FrameworkImpl) => Fn,
): Record<ActivityName<C>, Fn> {
  const out: Partial<Record<string, Fn>> = {};
  for (const f of Object.values(frameworks)) {
    const name = f.info[capability].activity;
    if (out[name] !== undefined) throw new Error(`Two frameworks name the activity ${name}`);
    out[name] = make(f);
  }
  const names: ActivityName<C>[] = FRAMEWORKS.map((f) => FRAMEWORK_CATALOG[f][capability].activity);
  if (!hasEvery(out, names))
    throw new Error(`A framework registry must hold every framework of the catalog`);
  return out;
}

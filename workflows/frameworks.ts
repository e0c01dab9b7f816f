import { ApplicationFailure } from '@temporalio/workflow';
import {
  FRAMEWORK_CATALOG,
  isFramework,
  UNKNOWN_FRAMEWORK,
  type Framework,
} from '../common/frameworks';

/**
 * The catalog entry of a run's framework: which activity to schedule for it (the catalog's
 * records are exhaustive, so every framework has one). An id the catalog lacks (a client that
 * skipped validation) fails the run instead of running some other framework.
 */
export function frameworkInfo<F extends Framework>(framework: F): (typeof FRAMEWORK_CATALOG)[F] {
  if (!isFramework(framework))
    throw ApplicationFailure.nonRetryable(
      `Unknown framework "${String(framework).slice(0, 40)}"`,
      UNKNOWN_FRAMEWORK,
    );
  return FRAMEWORK_CATALOG[framework];
}

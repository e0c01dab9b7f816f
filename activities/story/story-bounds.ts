import {
  FRAMEWORK_CATALOG,
  FRAMEWORK_LABELS,
  FRAMEWORKS,
  orList,
  type Framework,
  type FrameworkInfo,
} from '../../common/frameworks';
import { estimateStoryOverProviders, type TextBound } from '../llm/cost-estimate';
import type { BoundedRequest, RequestLimits } from '../llm/request-bounds';

/** The frameworks a story costs one call with: the advice for a story that costs too much. */
const SINGLE_CALL = orList(
  FRAMEWORKS.filter((f) => FRAMEWORK_CATALOG[f].story.calls().length === 1).map(
    (f) => FRAMEWORK_LABELS[f],
  ),
);

/**
 * A story as the request bounds see it: every call its framework can make at its worst
 * (cost-estimate.ts). Names are exact for one story, or bounds over a batch's names. `info`:
 * the framework's, when it is not production's (a worker running fixture frameworks).
 */
export function storyBoundedRequest(
  limits: RequestLimits,
  promptsDir: string,
  story: {
    framework: Framework;
    info?: FrameworkInfo;
    primaryCharacter: string | TextBound;
    secondaryCharacter: string | TextBound;
  },
  what?: string,
): BoundedRequest {
  const e = estimateStoryOverProviders({ ...story, promptsDir }, limits.pricing, limits.providers);
  const { label } = story.info ?? FRAMEWORK_CATALOG[story.framework];
  return {
    what: what ?? `This ${label} story`,
    calls: e.calls,
    fix: {
      tokens:
        'Use shorter character names, or lower MAX_TOKENS (earlier answers are part of later prompts).',
      cost:
        e.llmCalls > 1
          ? `Use ${SINGLE_CALL} (1 LLM call) instead of ${label} (up to ${e.llmCalls}), or raise MAX_REQUEST_COST_USD.`
          : 'Raise MAX_REQUEST_COST_USD, or lower MAX_TOKENS.',
    },
  };
}

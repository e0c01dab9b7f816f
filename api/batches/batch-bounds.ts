import type { BoundedRequest, RequestLimits } from '../../activities/llm/request-bounds';
import { storyBoundedRequest } from '../../activities/story/story-bounds';
import type { BatchSpec } from '../../common/batch-items';
import { FRAMEWORK_LABELS } from '../../common/frameworks';
import { nameBounds } from '../../activities/batch/batch-budget';

/**
 * A batch's items as the request bounds see them: per framework, a story with the batch's
 * longest names, an upper bound for every item of it. Checked when the batch starts; each item's
 * activity checks its own story again before its first call.
 */
export function batchItemRequests(
  limits: RequestLimits,
  promptsDir: string,
  spec: Pick<BatchSpec, 'source' | 'frameworks'>,
): BoundedRequest[] {
  const names = nameBounds(spec);
  return spec.frameworks.map((framework) =>
    storyBoundedRequest(
      limits,
      promptsDir,
      { framework, primaryCharacter: names.primary, secondaryCharacter: names.secondary },
      `The batch's largest ${FRAMEWORK_LABELS[framework]} item (a story with its longest character names)`,
    ),
  );
}

import type { GenerateStoryInput, GenerationResult } from '../../common/workflow-types';
import type { ActivityDeps } from '../deps';
import type { FrameworkImpl } from '../frameworks/framework';
import { activitiesPerFramework, type FrameworkRegistry } from '../frameworks/registry';
import { type CallContext, currentCallContext } from '../llm/call-context';
import { auditedLlmCall } from '../llm/llm-call';
import { assertRequestBounds, requestLimits } from '../llm/request-bounds';
import { loadPrompt, storyVars } from '../prompts';
import { storyBoundedRequest } from './story-bounds';
import { summarizeSteps } from './summarize-steps';

/**
 * Makes one story with a framework: checks the request bounds, lets the framework make the
 * calls, each one audited under `ctx`, and sums them up. Shared by the per-framework activities
 * below and by a batch item run as one activity (activities/batch/batch-item.ts).
 */
export function storyGeneration(deps: ActivityDeps) {
  const { provider } = deps.config;
  const limits = requestLimits(deps.config, deps.pricing);
  return async (
    framework: FrameworkImpl,
    input: GenerateStoryInput,
    ctx: CallContext,
  ): Promise<GenerationResult> => {
    // Before the first call (the API checked too; batches and schedules start stories without it).
    const bound = storyBoundedRequest(limits, deps.promptsDir, {
      ...input,
      info: framework.info,
    });
    assertRequestBounds(limits, bound);
    // The largest prompt of any call: what pacing counts against a tokens-per-minute limit.
    const promptTokens = Math.max(0, ...bound.calls.map((c) => c.inputTokens));
    const out = await framework.story({
      input,
      vars: storyVars(input.primaryCharacter, input.secondaryCharacter),
      prompt: (name) => loadPrompt(deps.promptsDir, name),
      call: (step, callIndex, fn) =>
        auditedLlmCall(
          deps,
          ctx,
          { step, framework: input.framework, callIndex, promptTokens },
          fn,
        ),
      resumeFrom: <T>() => ctx.heartbeatDetails<T>(),
      checkpoint: (state) => ctx.heartbeat(state),
      signal: ctx.signal,
    });
    return summarizeSteps(input.framework, provider.name, provider.model, out.text, out.steps);
  };
}

/**
 * The story generators, one activity type per framework so the Temporal UI names the framework
 * (`generateSemanticKernel`, ...: the names the framework infos give).
 */
export function storyGenerators(deps: ActivityDeps, frameworks: FrameworkRegistry) {
  const generate = storyGeneration(deps);
  return activitiesPerFramework(
    frameworks,
    'story',
    (framework: FrameworkImpl) => (input: GenerateStoryInput) =>
      generate(framework, input, currentCallContext(input)),
  );
}

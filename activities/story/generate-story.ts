import type { GenerateStoryInput, GenerationResult } from '../../common/workflow-types';
import type { ActivityDeps } from '../deps';
import { buildStoryGraph, initialGraphState, type NodeName, type StoryGraphState } from '../frameworks/langgraph';
import { textChain } from '../frameworks/langchain';
import { Kernel } from '../frameworks/semantic-kernel';
import { currentCallContext } from '../llm/call-context';
import { auditedLlmCall } from '../llm/llm-call';
import type { ProviderRoute } from '../llm/provider-router';
import { assertRequestBounds, requestLimits } from '../llm/request-bounds';
import { loadPrompt, storyVars } from '../prompts';
import { LANGGRAPH_MAX_REVISIONS } from './langgraph-limits';
import { storyBoundedRequest } from './story-bounds';
import { summarizeSteps } from './summarize-steps';

export { LANGGRAPH_MAX_REVISIONS };

/** The three story generators, one activity type each so the Temporal UI names the framework. */
export function storyGenerators(deps: ActivityDeps) {
  const { provider } = deps.config;
  const prompt = (name: string) => loadPrompt(deps.promptsDir, name);
  const limits = requestLimits(deps.config, deps.pricing);
  /** Before the first call (the API checked too; batches and schedules start stories without it). */
  const boundedCallContext = (input: GenerateStoryInput) => {
    const bound = storyBoundedRequest(limits, deps.promptsDir, input);
    assertRequestBounds(limits, bound);
    // The largest prompt of any call: what pacing counts against a tokens-per-minute limit.
    const promptTokens = Math.max(0, ...bound.calls.map((c) => c.inputTokens));
    return { ctx: currentCallContext(input), promptTokens };
  };

  return {
    async generateSemanticKernel(input: GenerateStoryInput): Promise<GenerationResult> {
      const { ctx, promptTokens } = boundedCallContext(input);
      const r = await auditedLlmCall(deps, ctx, { step: 'story', framework: input.framework, callIndex: 0, promptTokens }, (route) =>
        new Kernel(route.openai, route.config.model)
          .addFunction({
            name: 'WriteStory',
            systemTemplate: prompt('semantic_kernel/story_system'),
            userTemplate: prompt('semantic_kernel/story_user'),
            settings: { maxTokens: route.config.maxTokens, temperature: route.config.temperature },
          })
          .invoke('WriteStory', storyVars(input.primaryCharacter, input.secondaryCharacter), ctx.signal),
      );
      return summarizeSteps(input.framework, provider.name, provider.model, r.text, [r]);
    },

    async generateLangChain(input: GenerateStoryInput): Promise<GenerationResult> {
      const { ctx, promptTokens } = boundedCallContext(input);
      const r = await auditedLlmCall(deps, ctx, { step: 'story', framework: input.framework, callIndex: 0, promptTokens }, (route) =>
        textChain(route.chatModel, prompt('langchain/story_system'), prompt('langchain/story_user')).invoke(
          storyVars(input.primaryCharacter, input.secondaryCharacter),
          { signal: ctx.signal },
        ),
      );
      return summarizeSteps(input.framework, provider.name, provider.model, r.text, [r]);
    },

    async generateLangGraph(input: GenerateStoryInput): Promise<GenerationResult> {
      const { ctx, promptTokens } = boundedCallContext(input);
      const chainOf = (node: NodeName, route: ProviderRoute) =>
        textChain(route.chatModel, prompt(`langgraph/${node}_system`), prompt(`langgraph/${node}_user`));
      // Resume from the last heartbeat: finished nodes are not paid for twice.
      const resumed = ctx.heartbeatDetails<StoryGraphState>();
      const start = resumed?.next ? resumed : initialGraphState();
      const graph = buildStoryGraph({
        maxRevisions: LANGGRAPH_MAX_REVISIONS,
        onNodeDone: (state) => ctx.heartbeat(state),
        call: (node, state) =>
          auditedLlmCall(
            deps,
            ctx,
            { step: `${node}${node === 'draft' ? '' : `-${state.revisions + 1}`}`, framework: input.framework, callIndex: state.steps.length, promptTokens },
            (route) =>
              chainOf(node, route).invoke(
                { ...storyVars(input.primaryCharacter, input.secondaryCharacter), story: state.story, critique: state.editorNotes },
                { signal: ctx.signal },
              ),
          ),
      });
      const final = (await graph.invoke(start, { signal: ctx.signal, recursionLimit: 4 + LANGGRAPH_MAX_REVISIONS * 2 })) as StoryGraphState;
      return summarizeSteps(input.framework, provider.name, provider.model, final.story, final.steps);
    },
  };
}

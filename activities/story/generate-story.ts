import type { GenerateStoryInput, GenerationResult } from '../../common/workflow-types';
import type { ActivityDeps } from '../deps';
import { buildStoryGraph, initialGraphState, type NodeName, type StoryGraphState } from '../frameworks/langgraph';
import { textChain } from '../frameworks/langchain';
import { createChatModel } from '../frameworks/langchain-model';
import { Kernel } from '../frameworks/semantic-kernel';
import { currentCallContext } from '../llm/call-context';
import { auditedLlmCall } from '../llm/llm-call';
import { createOpenAIClient } from '../llm/provider-client';
import { assertRequestBounds, requestLimits } from '../llm/request-bounds';
import { loadPrompt, storyVars } from '../prompts';
import { LANGGRAPH_MAX_REVISIONS } from './langgraph-limits';
import { storyBoundedRequest } from './story-bounds';
import { summarizeSteps } from './summarize-steps';

export { LANGGRAPH_MAX_REVISIONS };

/** The three story generators, one activity type each so the Temporal UI names the framework. */
export function storyGenerators(deps: ActivityDeps) {
  const { provider } = deps.config;
  const openai = createOpenAIClient(deps.config);
  const chatModel = createChatModel(deps.config);
  const prompt = (name: string) => loadPrompt(deps.promptsDir, name);
  const limits = requestLimits(deps.config, deps.pricing);
  /** Before the first call (the API checked too; batches and schedules start stories without it). */
  const boundedCallContext = (input: GenerateStoryInput) => {
    assertRequestBounds(limits, storyBoundedRequest(limits, deps.promptsDir, input));
    return currentCallContext(input);
  };

  return {
    async generateSemanticKernel(input: GenerateStoryInput): Promise<GenerationResult> {
      const ctx = boundedCallContext(input);
      const kernel = new Kernel(openai, provider.model).addFunction({
        name: 'WriteStory',
        systemTemplate: prompt('semantic_kernel/story_system'),
        userTemplate: prompt('semantic_kernel/story_user'),
        settings: { maxTokens: provider.maxTokens, temperature: provider.temperature },
      });
      const r = await auditedLlmCall(deps, ctx, { step: 'story', framework: input.framework, callIndex: 0 }, () =>
        kernel.invoke('WriteStory', storyVars(input.primaryCharacter, input.secondaryCharacter), ctx.signal),
      );
      return summarizeSteps(input.framework, provider.name, provider.model, r.text, [r]);
    },

    async generateLangChain(input: GenerateStoryInput): Promise<GenerationResult> {
      const ctx = boundedCallContext(input);
      const chain = textChain(chatModel, prompt('langchain/story_system'), prompt('langchain/story_user'));
      const r = await auditedLlmCall(deps, ctx, { step: 'story', framework: input.framework, callIndex: 0 }, () =>
        chain.invoke(storyVars(input.primaryCharacter, input.secondaryCharacter), { signal: ctx.signal }),
      );
      return summarizeSteps(input.framework, provider.name, provider.model, r.text, [r]);
    },

    async generateLangGraph(input: GenerateStoryInput): Promise<GenerationResult> {
      const ctx = boundedCallContext(input);
      const chains: Record<NodeName, ReturnType<typeof textChain>> = {
        draft: textChain(chatModel, prompt('langgraph/draft_system'), prompt('langgraph/draft_user')),
        critique: textChain(chatModel, prompt('langgraph/critique_system'), prompt('langgraph/critique_user')),
        revise: textChain(chatModel, prompt('langgraph/revise_system'), prompt('langgraph/revise_user')),
      };
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
            { step: `${node}${node === 'draft' ? '' : `-${state.revisions + 1}`}`, framework: input.framework, callIndex: state.steps.length },
            () =>
              chains[node].invoke(
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

import type { FrameworkImpl } from '../framework';
import { SEMANTIC_KERNEL, STORY_CALL } from './info';
import { Kernel } from './kernel';
import type { ProviderRoute } from '../../llm/provider-router';

/** The execution settings of the provider a call goes to (a fallback may have its own). */
const settingsOf = (route: ProviderRoute) => ({
  maxTokens: route.config.maxTokens,
  temperature: route.config.temperature,
});

/** Every capability through a `Kernel` on the provider's openai client (kernel.ts says why). */
export const semanticKernel: FrameworkImpl<typeof SEMANTIC_KERNEL> = {
  info: SEMANTIC_KERNEL,

  async story(run) {
    const r = await run.call(STORY_CALL.step, 0, (route) =>
      new Kernel(route.openai, route.config.model)
        .addFunction({
          name: 'WriteStory',
          systemTemplate: run.prompt(STORY_CALL.system),
          userTemplate: run.prompt(STORY_CALL.user),
          settings: settingsOf(route),
        })
        .invoke('WriteStory', run.vars, run.signal),
    );
    return { text: r.text, steps: [r] };
  },

  chat: ({ route, system, messages, signal }) =>
    new Kernel(route.openai, route.config.model)
      .addChatFunction({
        name: 'Chat',
        systemTemplate: system,
        settings: settingsOf(route),
      })
      .invokeChat('Chat', messages, {}, signal),

  /** A prompt function whose templates are just the two variables. */
  context: ({ route, system, user, signal }) =>
    new Kernel(route.openai, route.config.model)
      .addFunction({
        name: 'AnswerFromContext',
        // Values are substituted in one pass, so braces inside them are left alone.
        systemTemplate: '{{$system_prompt}}',
        userTemplate: '{{$user_prompt}}',
        settings: settingsOf(route),
      })
      .invoke('AnswerFromContext', { system_prompt: system, user_prompt: user }, signal),
};

import { type AIMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { RunnableLambda, RunnableMap, type Runnable } from '@langchain/core/runnables';
import type { ChatOpenAI } from '@langchain/openai';
import type { RawLlmOutput } from '../../llm/llm-call';
import type { FrameworkImpl } from '../framework';
import { textChain } from './chain';
import { LANGCHAIN, STORY_CALL } from './info';
import { invokeChatModel, toLangChainMessages, usageOf } from './messages';

/** LangChain.js: LCEL chains over the provider's ChatOpenAI. */
export const langchain: FrameworkImpl<typeof LANGCHAIN> = {
  info: LANGCHAIN,

  async story(run) {
    const r = await run.call(STORY_CALL.step, 0, (route) =>
      textChain(route.chatModel, run.prompt(STORY_CALL.system), run.prompt(STORY_CALL.user)).invoke(
        run.vars,
        {
          signal: run.signal,
        },
      ),
    );
    return { text: r.text, steps: [r] };
  },

  chat: ({ route, system, messages, signal }) =>
    invokeChatModel(route.chatModel, toLangChainMessages(system, messages), signal),

  context: ({ route, system, user, signal }) =>
    contextChain(route.chatModel).invoke({ system, user }, { signal }),
};

/** Messages -> ChatOpenAI -> (text via StringOutputParser, usage from metadata). */
export function contextChain(
  model: ChatOpenAI,
): Runnable<{ system: string; user: string }, RawLlmOutput> {
  return RunnableLambda.from((m: { system: string; user: string }) => [
    new SystemMessage(m.system),
    new HumanMessage(m.user),
  ])
    .pipe(model)
    .pipe(
      RunnableMap.from<AIMessage>({ text: new StringOutputParser(), message: (x: AIMessage) => x }),
    )
    .pipe(
      RunnableLambda.from((r: { text: string; message: AIMessage }) => ({
        ...usageOf(r.message),
        text: r.text,
      })),
    );
}

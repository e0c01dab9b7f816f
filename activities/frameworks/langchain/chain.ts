import type { AIMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda, RunnableMap, type Runnable } from '@langchain/core/runnables';
import type { ChatOpenAI } from '@langchain/openai';
import type { RawLlmOutput } from '../../llm/llm-call';

/**
 * An LCEL chain: prompt -> ChatOpenAI -> (text via StringOutputParser, usage from the
 * response metadata). Used for LangChain stories and as the node body of the LangGraph graph.
 */
export function textChain(
  model: ChatOpenAI,
  systemTemplate: string,
  userTemplate: string,
): Runnable<Record<string, string>, RawLlmOutput> {
  const prompt = ChatPromptTemplate.fromMessages<Record<string, string>>([
    ['system', systemTemplate],
    ['human', userTemplate],
  ]);
  return prompt
    .pipe(model)
    .pipe(
      RunnableMap.from<AIMessage>({
        text: new StringOutputParser(),
        usage: (m: AIMessage) => m.usage_metadata,
      }),
    )
    .pipe(
      RunnableLambda.from((r: { text: string; usage?: AIMessage['usage_metadata'] }) => ({
        text: r.text,
        inputTokens: r.usage?.input_tokens ?? 0,
        outputTokens: r.usage?.output_tokens ?? 0,
      })),
    );
}

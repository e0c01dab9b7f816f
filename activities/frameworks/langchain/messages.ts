import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { ChatOpenAI } from '@langchain/openai';
import type { RawLlmOutput } from '../../llm/llm-call';
import type { ChatHistory } from '../framework';

/**
 * Chat through LangChain with message objects, not a ChatPromptTemplate: template parsing
 * would treat braces in what users type as placeholders (and fail or substitute).
 */
export function toLangChainMessages(system: string, history: ChatHistory): BaseMessage[] {
  return [
    new SystemMessage(system),
    ...history.map((m) =>
      m.role === 'user' ? new HumanMessage(m.content) : new AIMessage(m.content),
    ),
  ];
}

export function usageOf(message: AIMessage): RawLlmOutput {
  return {
    text: message.text,
    inputTokens: message.usage_metadata?.input_tokens ?? 0,
    outputTokens: message.usage_metadata?.output_tokens ?? 0,
  };
}

export async function invokeChatModel(
  model: ChatOpenAI,
  messages: BaseMessage[],
  signal?: AbortSignal,
): Promise<RawLlmOutput> {
  return usageOf(await model.invoke(messages, { signal }));
}

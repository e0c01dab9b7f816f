import { type AIMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { RunnableLambda, RunnableMap, type Runnable } from '@langchain/core/runnables';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import type { ChatOpenAI } from '@langchain/openai';
import type OpenAI from 'openai';
import type { Framework } from '../../common/frameworks';
import { Kernel } from '../frameworks/semantic-kernel';
import type { RawLlmOutput } from '../llm/llm-call';

/**
 * The one context call, `[system, user]`, made through each framework's own API. The prompts
 * are passed as finished message text, never as templates: the user's prompt and the files'
 * text may contain braces that a template engine (ChatPromptTemplate) would try to fill.
 */
export interface ContextMessages {
  system: string;
  user: string;
}

export interface ContextCallers {
  openai: OpenAI;
  chatModel: ChatOpenAI;
  model: string;
  maxTokens: number;
  temperature: number;
}

function usageOf(m: AIMessage): Pick<RawLlmOutput, 'inputTokens' | 'outputTokens'> {
  return { inputTokens: m.usage_metadata?.input_tokens ?? 0, outputTokens: m.usage_metadata?.output_tokens ?? 0 };
}

/** Semantic Kernel style: a prompt function whose templates are just the two variables. */
function viaKernel(c: ContextCallers, m: ContextMessages, signal?: AbortSignal): Promise<RawLlmOutput> {
  const kernel = new Kernel(c.openai, c.model).addFunction({
    name: 'AnswerFromContext',
    // Values are substituted in one pass, so braces inside them are left alone.
    systemTemplate: '{{$system_prompt}}',
    userTemplate: '{{$user_prompt}}',
    settings: { maxTokens: c.maxTokens, temperature: c.temperature },
  });
  return kernel.invoke('AnswerFromContext', { system_prompt: m.system, user_prompt: m.user }, signal);
}

/** LangChain LCEL: messages -> ChatOpenAI -> (text via StringOutputParser, usage from metadata). */
export function contextChain(model: ChatOpenAI): Runnable<ContextMessages, RawLlmOutput> {
  return RunnableLambda.from((m: ContextMessages) => [new SystemMessage(m.system), new HumanMessage(m.user)])
    .pipe(model)
    .pipe(RunnableMap.from<AIMessage>({ text: new StringOutputParser(), message: (x: AIMessage) => x }))
    .pipe(RunnableLambda.from((r: { text: string; message: AIMessage }) => ({ text: r.text, ...usageOf(r.message) })));
}

/** LangGraph: a one-node message graph (answer), the smallest real StateGraph for one call. */
async function viaGraph(model: ChatOpenAI, m: ContextMessages, signal?: AbortSignal): Promise<RawLlmOutput> {
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('answer', async (s: typeof MessagesAnnotation.State) => ({ messages: [await model.invoke(s.messages, { signal })] }))
    .addEdge(START, 'answer')
    .addEdge('answer', END)
    .compile();
  const final = await graph.invoke({ messages: [new SystemMessage(m.system), new HumanMessage(m.user)] }, { signal });
  const answer = final.messages[final.messages.length - 1] as AIMessage;
  return { text: answer.text, ...usageOf(answer) };
}

export function callContextFramework(
  framework: Framework,
  c: ContextCallers,
  m: ContextMessages,
  signal?: AbortSignal,
): Promise<RawLlmOutput> {
  switch (framework) {
    case 'semantic_kernel':
      return viaKernel(c, m, signal);
    case 'langchain':
      return contextChain(c.chatModel).invoke(m, { signal });
    case 'langgraph':
      return viaGraph(c.chatModel, m, signal);
  }
}

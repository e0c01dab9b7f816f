import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import type { RawLlmOutput } from '../../llm/llm-call';
import { usageOf } from '../langchain/messages';

/**
 * A chat turn as a LangGraph graph over the messages state: one `respond` node that asks the
 * model and appends its answer (usage metadata included). The graph is where chat-side steps
 * (tools, routing, reflection) would be added.
 */
export type RespondNode = (messages: BaseMessage[]) => Promise<AIMessage>;

export function buildChatGraph(respond: RespondNode) {
  return new StateGraph(MessagesAnnotation)
    .addNode('respond', async (state) => ({ messages: [await respond(state.messages)] }))
    .addEdge(START, 'respond')
    .addEdge('respond', END)
    .compile();
}

/** Text and usage of the answer the graph appended last. */
export function lastReply(messages: BaseMessage[]): RawLlmOutput {
  const last = messages.at(-1);
  if (!last) throw new Error('The chat graph produced no message');
  return usageOf(last as AIMessage);
}

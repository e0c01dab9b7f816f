import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { textChain } from '../langchain/chain';
import { toLangChainMessages } from '../langchain/messages';
import type { FrameworkImpl } from '../framework';
import { buildChatGraph, lastReply } from './chat-graph';
import { LANGGRAPH, LANGGRAPH_MAX_REVISIONS, nodePrompts, nodeStep } from './info';
import { buildStoryGraph, initialGraphState, type StoryGraphState } from './story-graph';

/** LangGraph.js StateGraphs, their nodes calling the provider's ChatOpenAI. */
export const langgraph: FrameworkImpl<typeof LANGGRAPH> = {
  info: LANGGRAPH,

  /** Draft -> critique -> revise; resumes from the last heartbeat, so finished nodes are not paid for twice. */
  async story(run) {
    const resumed = run.resumeFrom<StoryGraphState>();
    const start = resumed?.next ? resumed : initialGraphState();
    const graph = buildStoryGraph({
      maxRevisions: LANGGRAPH_MAX_REVISIONS,
      onNodeDone: (state) => run.checkpoint(state),
      call: (node, state) =>
        run.call(nodeStep(node, state.revisions + 1), state.steps.length, (route) => {
          const p = nodePrompts(node);
          return textChain(route.chatModel, run.prompt(p.system), run.prompt(p.user)).invoke(
            { ...run.vars, story: state.story, critique: state.editorNotes },
            { signal: run.signal },
          );
        }),
    });
    const final = (await graph.invoke(start, {
      signal: run.signal,
      recursionLimit: 4 + LANGGRAPH_MAX_REVISIONS * 2,
    })) as StoryGraphState;
    return { text: final.story, steps: final.steps };
  },

  async chat({ route, system, messages, signal }) {
    const graph = buildChatGraph((msgs) => route.chatModel.invoke(msgs, { signal }));
    const final = await graph.invoke(
      { messages: toLangChainMessages(system, messages) },
      { signal },
    );
    return lastReply(final.messages);
  },

  /** A one-node message graph (answer), the smallest real StateGraph for one call. */
  async context({ route, system, user, signal }) {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('answer', async (s: typeof MessagesAnnotation.State) => ({
        messages: [await route.chatModel.invoke(s.messages, { signal })],
      }))
      .addEdge(START, 'answer')
      .addEdge('answer', END)
      .compile();
    const final = await graph.invoke(
      { messages: [new SystemMessage(system), new HumanMessage(user)] },
      { signal },
    );
    return lastReply(final.messages);
  },
};

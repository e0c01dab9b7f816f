import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { Activities } from '../activities';
import type { ChatReply, ChatReplyInput } from '../common/chat-types';
import { FRAMEWORKS } from '../common/frameworks';
import { ZERO_USD } from '../common/money';
import { waitFor } from '../test/support/wait';
import {
  Gates,
  runChain,
  FAST_WAIT,
  startFastWorkflowEnv,
  stubRunSettings,
  type FastWorkflowEnv,
  type HistoryEvent,
} from '../test/support/workflow-test-env';
import {
  chatStateQuery,
  sendMessageUpdate,
  type ChatTurnRequest,
  type ChatWorkflowInput,
} from './chat.definitions';
import { chatWorkflow } from './chat.workflow';

/**
 * chatWorkflow's turn ordering on a real Temporal server, in seconds: the real workflow code,
 * with the LLM and database activities replaced by stubs that keep the conversation in memory.
 */

type StubbedActivities = Pick<
  Activities,
  | 'chatReplySemanticKernel'
  | 'chatReplyLangChain'
  | 'chatReplyLangGraph'
  | 'persistChatTurn'
  | 'discardEmptyConversation'
  | 'markLostAttempts'
>;

/** Messages starting with this fail their turn (a non-retryable provider error). */
const FAIL = 'fail:';

function fakeChatActivities(gates: Gates<string>) {
  const rec = {
    /** The stored conversation: one entry per persisted turn, in order. */
    stored: [] as { turnKey: string; message: string }[],
    /** Each reply in call order, with how many stored turns it could see. */
    replies: [] as { message: string; turnKey: string; storedBefore: number }[],
    inFlight: 0,
    maxInFlight: 0,
    lostMarked: 0,
    discarded: 0,
  };
  const reply = async (input: ChatReplyInput): Promise<ChatReply> => {
    rec.replies.push({
      message: input.message,
      turnKey: input.turnKey,
      storedBefore: rec.stored.length,
    });
    rec.maxInFlight = Math.max(rec.maxInFlight, ++rec.inFlight);
    try {
      await gates.pass(input.message);
      if (input.message.startsWith(FAIL))
        throw ApplicationFailure.nonRetryable('provider said no', 'StubFailure');
      return {
        text: `re: ${input.message}`,
        framework: input.framework,
        provider: 'stub',
        model: 'stub-1',
        inputTokens: 1,
        outputTokens: 1,
        totalTokens: 2,
        costUsd: ZERO_USD,
        inputCostPer1k: ZERO_USD,
        outputCostPer1k: ZERO_USD,
        generationTimeMs: 1,
        historySent: rec.stored.length * 2,
        historyDropped: 0,
      };
    } finally {
      rec.inFlight--;
    }
  };
  const activities: StubbedActivities = {
    chatReplySemanticKernel: reply,
    chatReplyLangChain: reply,
    chatReplyLangGraph: reply,
    persistChatTurn: async (input) => {
      rec.stored.push({ turnKey: input.turnKey, message: input.message });
      const id = rec.stored.length * 2;
      return {
        conversationId: input.conversationId,
        turnKey: input.turnKey,
        userMessageId: id - 1,
        assistantMessageId: id,
        framework: input.reply.framework,
      };
    },
    discardEmptyConversation: async () => {
      rec.discarded++;
      return true;
    },
    markLostAttempts: async () => {
      rec.lostMarked++;
      return 0;
    },
  };
  return { activities, rec };
}
type Recorder = ReturnType<typeof fakeChatActivities>['rec'];

let env: FastWorkflowEnv;
beforeAll(async () => {
  env = await startFastWorkflowEnv();
});
afterAll(async () => {
  await env?.teardown();
});

async function withChatWorker(
  body: (t: { tq: string; rec: Recorder; gates: Gates<string> }) => Promise<void>,
): Promise<void> {
  const gates = new Gates<string>();
  const { activities, rec } = fakeChatActivities(gates);
  await env.withWorker(activities, async (tq) => {
    try {
      await body({ tq, rec, gates });
    } finally {
      gates.releaseAll();
    }
  });
}

/** A conversation's workflow; tests read its state by query and terminate it (no idle wait). */
function startChat(tq: string, extra: Partial<ChatWorkflowInput> = {}) {
  const input: ChatWorkflowInput = {
    conversationId: 1,
    correlationId: randomUUID(),
    origin: 'api',
    settings: stubRunSettings,
    ...extra,
  };
  return env.client.workflow.start(chatWorkflow, {
    taskQueue: tq,
    workflowId: `chat-1-${randomUUID().slice(0, 8)}`,
    args: [input],
  });
}

/**
 * Sends every message at once (each as its own update, id = the message) and settles each. An
 * update unanswered after UPDATE_DEADLINE_MS rejects, naming itself, instead of the test
 * running into Jest's timeout without saying which call hung.
 */
function sendAll(h: WorkflowHandle<typeof chatWorkflow>, messages: string[]) {
  return Promise.allSettled(
    messages.map(async (message, i) => {
      const req: ChatTurnRequest = {
        message,
        framework: FRAMEWORKS[i % FRAMEWORKS.length],
        correlationId: randomUUID(),
        requestId: `req-${i}`,
        origin: 'api',
        newConversation: false,
      };
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer to update ${message} within ${UPDATE_DEADLINE_MS} ms`)),
          UPDATE_DEADLINE_MS,
        );
      });
      try {
        return await Promise.race([
          h.executeUpdate(sendMessageUpdate, { args: [req], updateId: message }),
          deadline,
        ]);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
const UPDATE_DEADLINE_MS = 15_000;

/** What a run handed to the next one (its continue-as-new input). */
function carriedInput(events: HistoryEvent[]): ChatWorkflowInput {
  const attrs = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes;
  if (!attrs) throw new Error('the run did not continue as new');
  return defaultPayloadConverter.fromPayload<ChatWorkflowInput>(attrs.input!.payloads![0]);
}

/** The update IDs in the order the run's history accepted them. */
const acceptedOrder = (events: HistoryEvent[]) =>
  events.flatMap(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId ?? [],
  );

describe('chatWorkflow on a real server (stubbed activities)', () => {
  it('answers concurrent messages one at a time, in the order Temporal accepted them', async () => {
    await withChatWorker(async ({ tq, rec, gates }) => {
      const h = await startChat(tq);
      const messages = ['m0', 'm1', 'm2', 'm3', 'm4'];
      const sent = sendAll(h, messages);
      // Hold the first answer until every message is queued: the history then shows one reply
      // scheduled, where unordered handling would already have scheduled all five.
      await waitFor(
        'the first reply',
        async () => rec.replies.length,
        (n) => n === 1,
        FAST_WAIT,
      );
      await waitFor(
        'all turns queued',
        () => h.query(chatStateQuery),
        (s) => s.queued === messages.length,
        FAST_WAIT,
      );
      const { events } = await h.fetchHistory();
      expect(
        events!.filter((e) =>
          e.activityTaskScheduledEventAttributes?.activityType?.name?.startsWith('chatReply'),
        ),
      ).toHaveLength(1);
      gates.releaseAll();
      const results = await sent;

      expect(results.map((r) => r.status)).toEqual(messages.map(() => 'fulfilled'));
      for (const [i, r] of results.entries()) {
        expect(r.status === 'fulfilled' && r.value).toMatchObject({
          turnKey: messages[i],
          framework: FRAMEWORKS[i % 3],
        });
      }
      const [run] = await runChain(env.client, h.workflowId, h.firstExecutionRunId);
      const order = acceptedOrder(run.events);
      expect([...order].sort()).toEqual(messages);
      expect(rec.maxInFlight).toBe(1);
      expect(rec.replies.map((r) => r.turnKey)).toEqual(order);
      // Each answer saw every earlier turn stored.
      expect(rec.replies.map((r) => r.storedBefore)).toEqual([0, 1, 2, 3, 4]);
      expect(rec.stored.map((s) => s.turnKey)).toEqual(order);
      expect(await h.query(chatStateQuery)).toMatchObject({ turns: 5, queued: 0, busy: false });
      await h.terminate();
    });
  });

  it('a failed turn stores nothing and does not block the turns queued behind it', async () => {
    await withChatWorker(async ({ tq, rec, gates }) => {
      const h = await startChat(tq);
      // The failing message is answered first (held until the others queue behind it).
      const failing = sendAll(h, [`${FAIL}x`]);
      await waitFor(
        'the first reply',
        async () => rec.replies.length,
        (n) => n === 1,
        FAST_WAIT,
      );
      const rest = sendAll(h, ['y', 'z']);
      await waitFor(
        'all turns queued',
        () => h.query(chatStateQuery),
        (s) => s.queued === 3,
        FAST_WAIT,
      );
      gates.releaseAll();

      const [failed] = await failing;
      expect(failed.status).toBe('rejected');
      const err = failed.status === 'rejected' ? (failed.reason as unknown) : undefined;
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((err as WorkflowUpdateFailedError).cause?.cause).toMatchObject({
        type: 'StubFailure',
      });
      expect((await rest).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);

      const [run] = await runChain(env.client, h.workflowId, h.firstExecutionRunId);
      const order = acceptedOrder(run.events);
      expect(order[0]).toBe(`${FAIL}x`);
      expect(rec.replies.map((r) => r.turnKey)).toEqual(order);
      expect(rec.stored.map((s) => s.turnKey)).toEqual(order.slice(1));
      expect(rec.replies.map((r) => r.storedBefore)).toEqual([0, 0, 1]);
      expect(rec.maxInFlight).toBe(1);
      expect(rec.lostMarked).toBe(1); // its audit rows are closed, as a stored turn's are
      expect(rec.discarded).toBe(0); // not a new conversation: nothing to remove
      expect(await h.query(chatStateQuery)).toMatchObject({ turns: 2, queued: 0 });
      await h.terminate();
    });
  });

  it('continue-as-new: later turns keep the order and the count carries over', async () => {
    await withChatWorker(async ({ tq, rec, gates }) => {
      gates.releaseAll(); // no turn is held here
      const h = await startChat(tq, { maxTurnsPerRun: 2 });
      const first = await sendAll(h, ['a0', `${FAIL}a1`, 'a2']);
      expect(first.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      // Three turns reached the limit of two per run: wait for the next run before more messages.
      const run2 = await waitFor(
        'the second run',
        () => h.describe(),
        (d) => d.runId !== h.firstExecutionRunId,
        FAST_WAIT,
      );
      const second = await sendAll(h, ['b0', 'b1']);
      expect(second.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      await waitFor(
        'the third run',
        () => h.describe(),
        (d) => d.runId !== run2.runId,
        FAST_WAIT,
      );
      await h.terminate();

      const runs = await runChain(env.client, h.workflowId, h.firstExecutionRunId);
      expect(runs).toHaveLength(3);
      // Stored turns (the failed one is not) are counted across runs.
      expect(carriedInput(runs[0].events).turnsBefore).toBe(2);
      expect(carriedInput(runs[1].events).turnsBefore).toBe(4);
      const order = runs.flatMap((r) => acceptedOrder(r.events));
      expect(runs.map((r) => acceptedOrder(r.events).length)).toEqual([3, 2, 0]);
      expect(rec.replies.map((r) => r.turnKey)).toEqual(order);
      expect(rec.stored.map((s) => s.turnKey)).toEqual(order.filter((k) => !k.startsWith(FAIL)));
      expect(rec.maxInFlight).toBe(1);
    });
  });
});

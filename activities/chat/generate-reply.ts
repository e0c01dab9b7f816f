import type { ChatReply, ChatReplyInput } from '../../common/chat-types';
import { ZERO_USD } from '../../common/money';
import type { ActivityDeps } from '../deps';
import type { ChatHistory, FrameworkImpl } from '../frameworks/framework';
import { activitiesPerFramework, type FrameworkRegistry } from '../frameworks/registry';
import { currentCallContext } from '../llm/call-context';
import { auditedLlmCall } from '../llm/llm-call';
import { assertRequestBounds, requestLimits } from '../llm/request-bounds';
import { loadPrompt } from '../prompts';
import { assertConversationExists, findPersistedTurn, loadHistory } from './chat-store';
import { trimHistory } from './history-budget';
import { chatTurnBoundedRequest, chatTurnTokens, historyRoom } from './turn-bounds';

/**
 * One chat answer per framework, one activity type each so the Temporal UI names the
 * framework (`chatReplySemanticKernel`, ...: the names the framework infos give). Each loads the
 * conversation's history from the database (the workflow keeps no chat text), trims it to the
 * token budget, and makes one audited call with the framework's system prompt: switching
 * framework mid-conversation keeps the history, changes the persona.
 */
export function chatGenerators(deps: ActivityDeps, frameworks: FrameworkRegistry) {
  const { provider } = deps.config;
  const limits = requestLimits(deps.config, deps.pricing);

  async function reply(framework: FrameworkImpl, input: ChatReplyInput): Promise<ChatReply> {
    const ctx = currentCallContext({
      correlationId: input.correlationId,
      requestId: input.requestId,
      origin: input.origin,
    });
    const done = await findPersistedTurn(deps.prisma, input.conversationId, input.turnKey);
    if (done) {
      // A retried update whose turn was saved before: answer with it, pay nothing twice.
      const { assistant, ...turn } = done;
      return {
        text: assistant.content,
        framework: input.framework,
        provider: provider.name,
        model: provider.model,
        inputTokens: 0,
        outputTokens: 0,
        totalTokens: 0,
        costUsd: ZERO_USD,
        inputCostPer1k: ZERO_USD,
        outputCostPer1k: ZERO_USD,
        generationTimeMs: 0,
        historySent: 0,
        historyDropped: 0,
        alreadyPersisted: turn,
      };
    }
    await assertConversationExists(deps.prisma, input.conversationId);
    const system = loadPrompt(deps.promptsDir, framework.info.chat.systemPrompt);
    const budget = historyRoom(
      limits,
      deps.config.env.CHAT_HISTORY_TOKEN_BUDGET,
      system,
      input.message,
    );
    const history = trimHistory(await loadHistory(deps.prisma, input.conversationId), budget);
    if (history.dropped > 0) {
      deps.logger.info(
        {
          correlationId: input.correlationId,
          conversationId: input.conversationId,
          dropped: history.dropped,
          kept: history.kept.length,
        },
        'chat history trimmed to the token budget',
      );
    }
    const messages: ChatHistory = [...history.kept, { role: 'user', content: input.message }];
    // Before the call (the API checked the message too; this covers every other way in).
    assertRequestBounds(limits, chatTurnBoundedRequest(limits, chatTurnTokens(system, messages)));
    const r = await auditedLlmCall(
      deps,
      ctx,
      { step: 'chat', framework: input.framework, callIndex: 0 },
      (route) => framework.chat({ route, system, messages, signal: ctx.signal }),
    );
    return {
      text: r.text,
      framework: input.framework,
      provider: r.provider,
      model: r.model,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      totalTokens: r.totalTokens,
      costUsd: r.costUsd,
      inputCostPer1k: r.inputCostPer1k,
      outputCostPer1k: r.outputCostPer1k,
      generationTimeMs: Math.round(r.latencyMs * 100) / 100,
      historySent: history.kept.length,
      historyDropped: history.dropped,
      ...(r.deferredAudit ? { deferredAudit: r.deferredAudit } : {}),
    };
  }

  return activitiesPerFramework(
    frameworks,
    'chat',
    (framework) => (input: ChatReplyInput) => reply(framework, input),
  );
}

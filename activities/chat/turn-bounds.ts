import { promptTokenBound } from '../llm/cost-estimate';
import { type BoundedRequest, type RequestLimits, singleCall } from '../llm/request-bounds';
import type { ChatHistory } from '../frameworks/framework';
import { messageTokens } from './history-budget';

const measure = (text: string) => ({ tokens: messageTokens(text), chars: text.length });

/** Input tokens of one chat call: the framework's system prompt, the history sent and the new message. */
export function chatTurnTokens(system: string, messages: ChatHistory): number {
  return promptTokenBound([measure(system), ...messages.map((m) => measure(m.content))]);
}

/**
 * Tokens of history a turn may send: CHAT_HISTORY_TOKEN_BUDGET, or less when the model's
 * context window (less MAX_TOKENS for the answer) has no more room beside the system prompt and
 * the message. History never makes a turn too large; only the message can.
 */
export function historyRoom(
  limits: RequestLimits,
  budget: number,
  system: string,
  message: string,
): number {
  const fixed = chatTurnTokens(system, [{ role: 'user', content: message }]);
  return Math.max(0, Math.min(budget, limits.contextWindow - limits.maxTokens - fixed));
}

export function chatTurnBoundedRequest(limits: RequestLimits, inputTokens: number): BoundedRequest {
  return {
    what: 'This chat turn (system prompt, history and message)',
    calls: [singleCall(limits, inputTokens)],
    fix: {
      tokens: 'Send a shorter message.',
      cost: 'Send a shorter message or lower CHAT_HISTORY_TOKEN_BUDGET, or raise MAX_REQUEST_COST_USD.',
    },
  };
}

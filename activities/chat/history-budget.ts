import { countTokens } from 'gpt-tokenizer';
import type { ChatHistory } from '../frameworks/framework';

/** Role and separator tokens the chat format adds around each message's content. */
const PER_MESSAGE_OVERHEAD = 4;

// Users may type "<|endoftext|>": count it as the text it is, instead of throwing.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function messageTokens(content: string): number {
  return countTokens(content, PLAIN_TEXT) + PER_MESSAGE_OVERHEAD;
}

export interface TrimmedHistory {
  kept: ChatHistory;
  dropped: number;
  tokens: number;
}

/**
 * Keeps the newest messages that fit the token budget and drops older ones whole, so a long
 * conversation never outgrows the model's context (the original re-sent everything). The kept
 * part starts with a user message, so the model never sees an answer without its question.
 */
export function trimHistory(history: ChatHistory, budget: number): TrimmedHistory {
  let tokens = 0;
  let start = history.length;
  for (let i = history.length - 1; i >= 0; i--) {
    const t = messageTokens(history[i].content);
    if (tokens + t > budget) break;
    tokens += t;
    start = i;
  }
  while (start < history.length && history[start].role !== 'user') {
    tokens -= messageTokens(history[start].content);
    start++;
  }
  return { kept: history.slice(start), dropped: start, tokens };
}

import { api, send, sendPage } from './client';
import type { paths } from './schema';

/** One page, most recently updated first, with the number of conversations in all. */
export const listConversations = (skip: number, limit: number) =>
  sendPage(api.GET('/api/chat/conversations', { params: { query: { skip, limit } } }));

export const getConversation = (id: number) =>
  send(api.GET('/api/chat/conversations/{id}', { params: { path: { id } } }));

export const deleteConversation = (id: number) =>
  send(api.DELETE('/api/chat/conversations/{id}', { params: { path: { id } } }));

export const deleteAllConversations = () => send(api.DELETE('/api/chat/conversations'));

type FrameworkSlug = paths['/api/chat/{framework}']['post']['parameters']['path']['framework'];

/** One turn; `conversationId` null starts a new conversation (its id comes back in the reply). */
export const sendChatMessage = (
  frameworkSlug: FrameworkSlug,
  message: string,
  conversationId: number | null,
) =>
  send(
    api.POST('/api/chat/{framework}', {
      params: { path: { framework: frameworkSlug } },
      body: { message, conversation_id: conversationId },
    }),
  );

import { api, send } from './client';
import type { paths } from './schema';
import type {
  ChatConversation,
  ChatConversationListItem,
  ChatResponse,
  DeletedCount,
} from './types';

/** The 20 most recently updated (the API's default page). */
export const listConversations = () =>
  send<ChatConversationListItem[]>(api.GET('/api/chat/conversations'));

export const getConversation = (id: number) =>
  send<ChatConversation>(api.GET('/api/chat/conversations/{id}', { params: { path: { id } } }));

export const deleteConversation = (id: number) =>
  send<DeletedCount>(api.DELETE('/api/chat/conversations/{id}', { params: { path: { id } } }));

export const deleteAllConversations = () =>
  send<DeletedCount>(api.DELETE('/api/chat/conversations'));

type FrameworkSlug = paths['/api/chat/{framework}']['post']['parameters']['path']['framework'];

/** One turn; `conversationId` null starts a new conversation (its id comes back in the reply). */
export const sendChatMessage = (
  frameworkSlug: FrameworkSlug,
  message: string,
  conversationId: number | null,
) =>
  send<ChatResponse>(
    api.POST('/api/chat/{framework}', {
      params: { path: { framework: frameworkSlug } },
      body: { message, conversation_id: conversationId },
    }),
  );

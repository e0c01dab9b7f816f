import { api, send } from './client';
import type {
  DeletedCount,
  StoryDetail,
  StoryListItem,
  StoryRequest,
  StoryResponse,
} from './types';

/** Starts a story and waits for it (201 with the story). */
export const generateStory = (body: StoryRequest) =>
  send<StoryResponse>(api.POST('/api/stories', { params: { query: { wait: true } }, body }));

export const listStories = (limit = 100) =>
  send<StoryListItem[]>(api.GET('/api/stories', { params: { query: { limit, skip: 0 } } }));

export const searchStories = (character: string) =>
  send<StoryListItem[]>(
    api.GET('/api/stories/search/characters', { params: { query: { character } } }),
  );

export const getStory = (id: number) =>
  send<StoryDetail>(api.GET('/api/stories/{id}', { params: { path: { id } } }));

export const deleteAllStories = () => send<DeletedCount>(api.DELETE('/api/stories'));

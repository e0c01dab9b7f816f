import { api, send, sendPage } from './client';
import { ApiError } from './errors';
import type { StoryRequest, StoryResponse } from './types';

/** Starts a story and waits for it (201 with the story). */
export async function generateStory(body: StoryRequest): Promise<StoryResponse> {
  const r = await send(api.POST('/api/stories', { params: { query: { wait: 'true' } }, body }));
  if (!('story' in r)) throw new ApiError(202, 'The story is still being generated; see its run');
  return r;
}

/** One page, newest first, with the number of stories in all. */
export const listStories = (skip: number, limit: number) =>
  sendPage(api.GET('/api/stories', { params: { query: { limit, skip } } }));

/** One page of matches (the search sends no total: a short page is the last). */
export const searchStories = (character: string, skip: number, limit: number) =>
  sendPage(
    api.GET('/api/stories/search/characters', { params: { query: { character, skip, limit } } }),
  );

export const getStory = (id: number) =>
  send(api.GET('/api/stories/{id}', { params: { path: { id } } }));

export const deleteAllStories = () => send(api.DELETE('/api/stories'));

import { api, send, sendPage } from './client';
import { ApiError } from './errors';
import type { StoryRequest } from './types';

/**
 * Starts a story without waiting (202): the page links to its run at once and follows it there
 * (lib/story-progress.ts), instead of holding a request open for the whole generation.
 */
export async function startStory(body: StoryRequest): Promise<{ workflowId: string }> {
  const r = await send(api.POST('/api/stories', { body }));
  if (!('workflowId' in r)) throw new ApiError(500, 'The API did not say which run it started');
  return { workflowId: r.workflowId };
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

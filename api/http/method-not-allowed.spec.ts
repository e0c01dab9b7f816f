import type { OpenAPIObject } from '@nestjs/swagger';
import { allowedMethods } from './method-not-allowed';

describe('allowedMethods', () => {
  const doc = {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/api/stories': {
        get: { responses: {} },
        post: { responses: {} },
        delete: { responses: {} },
      },
      '/api/stories/{id}': { get: { responses: {} } },
      '/api/stories/search/characters': { get: { responses: {} } },
      '/api/runs/{workflowId}/cancel': { post: { responses: {} } },
      '/api/chat/conversations': { get: { responses: {} }, delete: { responses: {} } },
      '/api/chat/{framework}': { post: { responses: {} } },
    },
  } satisfies OpenAPIObject;
  const allowed = allowedMethods(doc);

  it('lists the methods of every template that matches, HEAD with GET', () => {
    expect(allowed('/api/stories')).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
    expect(allowed('/api/stories/7')).toEqual(['GET', 'HEAD']);
    expect(allowed('/API/Stories/')).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
    expect(allowed('/api/runs/story-1/cancel')).toEqual(['POST']);
  });

  it('prefers a concrete path to a template that also matches it (as OpenAPI does)', () => {
    expect(allowed('/api/chat/conversations')).toEqual(['DELETE', 'GET', 'HEAD']);
    expect(allowed('/api/chat/langchain')).toEqual(['POST']);
  });

  it('finds nothing for paths the document does not have', () => {
    expect(allowed('/api/nope')).toEqual([]);
    expect(allowed('/api/stories/7/8')).toEqual([]);
    expect(allowed('/api/runs/a/b/cancel')).toEqual([]);
  });
});

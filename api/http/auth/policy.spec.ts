import {
  hasDotSegment,
  normalisePath,
  requiredRole,
  requiredToolRole,
  toolAccessRefusal,
} from './policy';

describe('access policy', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/favicon.ico'],
    ['GET', '/health'],
    ['HEAD', '/health/live'],
    ['GET', '/health/ready'],
    ['GET', '/openapi.json'],
    ['GET', '/api/docs'],
    ['GET', '/api/docs/swagger-ui-bundle.js'],
    ['GET', '/api/docs-json'],
    ['GET', '/api/redoc'],
    ['GET', '/api/redoc/redoc.standalone.js'],
    ['GET', '/ui'],
    ['GET', '/ui/runs/story-1'],
    ['GET', '/ui/assets/index-abc.js'],
    ['OPTIONS', '/api/stories'],
    ['OPTIONS', '/mcp'],
  ])('%s %s is public', (method, path) => {
    expect(requiredRole(method, path)).toBe('public');
  });

  it.each([
    ['GET', '/api/stories'],
    ['GET', '/api/stories/1'],
    ['GET', '/api/runs/story-1/history'],
    ['GET', '/api/provider'],
    ['GET', '/api/ui-config'],
    ['GET', '/api/schedules'],
    ['GET', '/api/batches/batch-1/events'],
    ['GET', '/logs'],
    ['GET', '/logs/entries/app.log'],
    ['GET', '/metrics'],
    ['GET', '/no/such/route'],
    ['GET', '/healthz'],
    ['POST', '/api/stories'],
    ['POST', '/api/semantic-kernel'],
    ['POST', '/api/semantic_kernel'],
    ['POST', '/api/langchain'],
    ['POST', '/api/langgraph'],
    ['POST', '/api/chat/langchain'],
    ['POST', '/api/context/upload'],
    ['POST', '/api/context/execute'],
    ['POST', '/api/batches'],
    ['POST', '/api/runs/story-1/rerun'],
    ['POST', '/mcp'],
  ])('%s %s needs any key', (method, path) => {
    expect(requiredRole(method, path)).toBe('user');
  });

  it.each([
    ['DELETE', '/api/stories'],
    ['DELETE', '/api/chat/conversations'],
    ['DELETE', '/api/chat/conversations/3'],
    ['DELETE', '/api/context/files/abc'],
    ['DELETE', '/api/cost/usage'],
    ['DELETE', '/api/schedules/s-1'],
    ['DELETE', '/mcp'],
    ['POST', '/api/runs/story-1/cancel'],
    ['POST', '/api/runs/story-1/terminate'],
    ['POST', '/api/batches/batch-1/pause'],
    ['POST', '/api/batches/batch-1/resume'],
    ['POST', '/api/batches/batch-1/cancel'],
    ['POST', '/api/batches/batch-1/retry-failed'],
    ['POST', '/api/batches/batch-1/concurrency'],
    ['POST', '/api/schedules'],
    ['POST', '/api/schedules/s-1/pause'],
    ['POST', '/api/schedules/s-1/unpause'],
    ['POST', '/api/schedules/s-1/trigger'],
    // Deny by default: unknown mutations, odd methods.
    ['POST', '/api/something-new'],
    ['PUT', '/api/stories/1'],
    ['PATCH', '/api/stories/1'],
    ['POST', '/health'],
    ['POST', '/ui/index.html'],
    ['TRACE', '/'],
  ])('%s %s needs an admin key', (method, path) => {
    expect(requiredRole(method, path)).toBe('admin');
  });

  it('sees paths as Express routes them: any case, with or without a trailing slash', () => {
    expect(requiredRole('delete', '/API/Stories/')).toBe('admin');
    expect(requiredRole('post', '/Api/Runs/x/CANCEL')).toBe('admin');
    expect(requiredRole('post', '/API/STORIES/')).toBe('user');
    expect(requiredRole('get', '/HEALTH/')).toBe('public');
    expect(normalisePath('/A/b//')).toBe('/a/b');
    expect(normalisePath('/')).toBe('/');
  });

  it('never treats a path with dot segments as public', () => {
    for (const p of [
      '/ui/../api/stories',
      '/ui/%2e%2e/api/stories',
      '/api/docs/..%2F..%2Fapi/stories',
      '/health/./',
      '/ui/%E0%A4%A',
    ]) {
      expect(hasDotSegment(p)).toBe(true);
      expect(requiredRole('GET', p)).toBe('user');
    }
    expect(hasDotSegment('/ui/assets/a.b.js')).toBe(false);
  });

  it('a run id cannot turn an admin route into a user one', () => {
    expect(requiredRole('POST', '/api/runs/x%2Frerun/cancel')).toBe('admin');
    expect(requiredRole('POST', '/api/runs/rerun/cancel')).toBe('admin');
  });
});

describe('MCP tool roles', () => {
  it('cancel and batch-control tools need admin; destructive tools too; the rest any key', () => {
    for (const t of ['cancel_run', 'pause_batch', 'resume_batch', 'cancel_batch'])
      expect(requiredToolRole(t)).toBe('admin');
    expect(requiredToolRole('some_new_tool', { destructiveHint: true })).toBe('admin');
    for (const t of ['generate_story_langchain', 'get_run', 'list_runs', 'chat', 'start_batch'])
      expect(requiredToolRole(t, { destructiveHint: false })).toBe('user');
  });

  it('refuses admin tools to a user key over HTTP; stdio (no auth info) is the local user', () => {
    expect(toolAccessRefusal('cancel_run', undefined, { scopes: ['user'] })).toMatch(
      /^The tool cancel_run needs an admin API key/,
    );
    expect(toolAccessRefusal('cancel_run', undefined, { scopes: ['admin'] })).toBeUndefined();
    expect(toolAccessRefusal('get_run', undefined, { scopes: ['user'] })).toBeUndefined();
    expect(toolAccessRefusal('cancel_run', undefined, undefined)).toBeUndefined();
  });
});

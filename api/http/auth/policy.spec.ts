import {
  hasDotSegment,
  normalisePath,
  requiredToolRole,
  roleWhenUnmatched,
  toolAccessRefusal,
} from './policy';

describe('access policy', () => {
  it('needs any key to read an unknown path, an admin key for anything else', () => {
    expect(roleWhenUnmatched('GET')).toBe('user');
    expect(roleWhenUnmatched('head')).toBe('user');
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'])
      expect(roleWhenUnmatched(m)).toBe('admin');
  });

  it('sees paths as Express routes them: any case, with or without a trailing slash', () => {
    expect(normalisePath('/A/b//')).toBe('/a/b');
    expect(normalisePath('/API/Stories/')).toBe('/api/stories');
    expect(normalisePath('/')).toBe('/');
  });

  it('finds dot segments, encoded or not', () => {
    for (const p of [
      '/ui/../api/stories',
      '/ui/%2e%2e/api/stories',
      '/api/docs/..%2F..%2Fapi/stories',
      '/health/./',
      '/ui/%E0%A4%A',
    ])
      expect(hasDotSegment(p)).toBe(true);
    expect(hasDotSegment('/ui/assets/a.b.js')).toBe(false);
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

import { type RouteDeclaration, RouteTable } from './route-table';

const route = (
  methods: RouteDeclaration['methods'],
  path: string,
  access: RouteDeclaration['access'],
  limit?: RouteDeclaration['limit'],
): RouteDeclaration => ({ methods, path, access, limit, source: `${path}` });

const table = new RouteTable([
  route(['GET'], '/', 'public'),
  route(['GET'], '/health/live', 'public', 'health_status'),
  route(['GET'], '/api/docs{/*asset}', 'public', 'health_status'),
  route(['GET'], '/ui{/*file}', 'public'),
  route(['OPTIONS'], '/{*any}', 'public'),
  route(['POST'], '/api/stories', 'user', 'story_generation'),
  route(['GET'], '/api/stories/:id', 'user', 'list_endpoints'),
  route(['DELETE'], '/api/stories', 'admin', 'list_endpoints'),
  route(['POST'], '/api/runs/:workflowId/rerun', 'user'),
  route(['POST'], '/api/runs/:workflowId/cancel', 'admin'),
  route(['GET'], '/logs/entries/*path', 'user'),
]);

describe('RouteTable', () => {
  it.each([
    ['GET', '/', 'public', 'default'],
    ['HEAD', '/health/live', 'public', 'health_status'],
    ['GET', '/api/docs', 'public', 'health_status'],
    ['GET', '/api/docs/swagger-ui-bundle.js', 'public', 'health_status'],
    ['GET', '/ui', 'public', 'default'],
    ['GET', '/ui/runs/story-1', 'public', 'default'],
    ['OPTIONS', '/api/stories', 'public', 'default'],
    ['POST', '/api/stories', 'user', 'story_generation'],
    ['GET', '/api/stories/12', 'user', 'list_endpoints'],
    ['DELETE', '/api/stories', 'admin', 'list_endpoints'],
    ['GET', '/logs/entries/a/b.log', 'user', 'default'],
    ['POST', '/api/runs/story-1/cancel', 'admin', 'default'],
  ])('%s %s: %s, %s', (method, path, access, limit) => {
    expect(table.requiredRole(method, path)).toBe(access);
    expect(table.endpointClass(method, path)).toBe(limit);
  });

  it('matches as Express does: any case, one trailing slash, HEAD with GET', () => {
    expect(table.requiredRole('delete', '/API/Stories/')).toBe('admin');
    expect(table.requiredRole('post', '/Api/Runs/x/CANCEL')).toBe('admin');
    expect(table.endpointClass('post', '/API/STORIES/')).toBe('story_generation');
    expect(table.requiredRole('head', '/HEALTH/LIVE/')).toBe('public');
    expect(table.requiredRole('POST', '/health/live')).toBe('admin'); // GET only
    expect(table.requiredRole('GET', '/api/storiesX')).toBe('user'); // no prefix matching
  });

  it('needs any key to read what no route matches, an admin key for anything else', () => {
    expect(table.requiredRole('GET', '/no/such/route')).toBe('user');
    expect(table.endpointClass('GET', '/no/such/route')).toBe('default');
    for (const [m, p] of [
      ['POST', '/api/something-new'],
      ['PUT', '/api/stories/1'],
      ['POST', '/ui/index.html'],
      ['TRACE', '/'],
    ])
      expect(table.requiredRole(m, p)).toBe('admin');
  });

  it('never treats a path with dot segments as public', () => {
    for (const p of ['/ui/../api/stories', '/ui/%2e%2e/api/stories', '/api/docs/..%2F..%2Fx'])
      expect(table.requiredRole('GET', p)).toBe('user');
    expect(table.requiredRole('OPTIONS', '/ui/../x')).toBe('admin');
  });

  it('a run id cannot turn an admin route into a user one', () => {
    expect(table.requiredRole('POST', '/api/runs/x%2Frerun/cancel')).toBe('admin');
    expect(table.requiredRole('POST', '/api/runs/rerun/cancel')).toBe('admin');
  });

  it('gives the strongest role when several routes match, whatever their order', () => {
    const a = route('*', '/x/:id', 'admin', 'list_endpoints');
    const u = route(['GET'], '/x/:id', 'user');
    for (const t of [new RouteTable([a, u]), new RouteTable([u, a])]) {
      expect(t.requiredRole('GET', '/x/1')).toBe('admin');
      expect(t.endpointClass('GET', '/x/1')).toBe('list_endpoints');
    }
  });
});

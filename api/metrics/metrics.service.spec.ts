import { routeLabel } from './metrics.service';

describe('routeLabel', () => {
  const req = (originalUrl: string, route?: string, baseUrl = '') => ({
    originalUrl,
    baseUrl,
    route: route === undefined ? undefined : { path: route },
  });

  it('is the matched route pattern, never the raw path', () => {
    expect(routeLabel(req('/api/runs/story-1234?x=1', '/api/runs/:workflowId'))).toBe(
      '/api/runs/:workflowId',
    );
    expect(routeLabel(req('/v2/items/7', '/items/:id', '/v2'))).toBe('/v2/items/:id');
    expect(routeLabel(req('/', '/'))).toBe('/');
  });

  it('collapses unmatched requests: catch-all middleware, the web app, everything else', () => {
    expect(routeLabel(req('/no/such/4b1e', '/{*path}'))).toBe('unmatched');
    expect(routeLabel(req('/no/such/4b1e', '*'))).toBe('unmatched');
    expect(routeLabel(req('/no/such/4b1e'))).toBe('unmatched');
    expect(routeLabel(req('/ui/runs/story-1'))).toBe('/ui/*');
    expect(routeLabel(req('/ui'))).toBe('/ui/*');
    expect(routeLabel(req('/uix'))).toBe('unmatched');
  });
});

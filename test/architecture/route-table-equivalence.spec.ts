/**
 * TEMPORARY (removed with ACCESS_RULES/endpointClass): the route table compiled from @Access /
 * @RateLimitClass and mount-site declarations gives every route of the real app the role and
 * rate-limit class the old regex tables gave it.
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApiApp } from '../../api/bootstrap';
import { requiredRole } from '../../api/http/auth/policy';
import { endpointClass } from '../../api/http/rate-limit/rate-limit-rules';
import { RouteTable } from '../../api/http/routes/route-table';
import { loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { createPrismaClient } from '../../prisma/client';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

const sample = (p: string) =>
  p
    .replace(/\{\/\*[A-Za-z0-9_]+\}/g, '/a/b.log')
    .replace(/\*[A-Za-z0-9_]+/g, 'app.log')
    .replace(/:[A-Za-z0-9_]+/g, 'sample-1');

it('gives every route the role and class the old tables gave it', async () => {
  const config = loadConfig({ LOG_FILE_PATH: '' });
  const prisma = createPrismaClient(`file:${path.join(os.tmpdir(), 'quillflow-equiv.db')}`);
  const temporal = new Client({
    connection: Connection.lazy({ address: config.env.TEMPORAL_ADDRESS }),
  });
  const logger = createLogger('equiv', {
    level: 'silent',
    pretty: false,
    filePath: '',
    rotationHours: 1,
    retentionDays: 1,
  });
  const app = await createApiApp({ config, logger, prisma, temporal });
  await app.init();
  try {
    const table = app.get(RouteTable);
    const express = app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
    const probes: [string, string][] = [];
    for (const layer of express.router.stack) {
      if (!layer.route) continue;
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
      if (methods.length > 10) continue; // Nest's catch-all
      for (const raw of [layer.route.path].flat()) {
        for (const m of methods) {
          const p = sample(raw);
          const M = m.toUpperCase();
          probes.push([M, p], [M.toLowerCase(), p.toUpperCase()], [M, `${p}/`]);
          if (M === 'GET') probes.push(['HEAD', p]);
        }
      }
    }
    // Served by static middleware rather than routes.
    for (const p of [
      '/ui',
      '/ui/',
      '/ui/runs/story-1',
      '/ui/assets/index-abc.js',
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/',
    ])
      probes.push(['GET', p], ['HEAD', p]);
    // Not routes: unknown paths, dot segments, odd methods, preflights.
    const others: [string, string][] = [
      ['GET', '/no/such/route'],
      ['GET', '/healthz'],
      ['POST', '/api/something-new'],
      ['PUT', '/api/stories/1'],
      ['PATCH', '/api/stories/1'],
      ['POST', '/health'],
      ['POST', '/ui/index.html'],
      ['TRACE', '/'],
      ['GET', '/ui/../api/stories'],
      ['GET', '/ui/%2e%2e/api/stories'],
      ['GET', '/api/docs/..%2F..%2Fapi/stories'],
      ['GET', '/health/./'],
      ['GET', '/ui/%E0%A4%A'],
      ['POST', '/api/runs/x%2Frerun/cancel'],
      ['POST', '/api/runs/rerun/cancel'],
      ['OPTIONS', '/api/stories'],
      ['OPTIONS', '/mcp'],
      ['OPTIONS', '/health'],
      ['OPTIONS', '/ui/../x'],
      ['GET', '/api/docs-json'],
      ['GET', '/api/redoc/other'],
      ['GET', '/api/stories/1/2'],
      ['PUT', '/api/stories'],
      ['GET', '/status'],
      ['GET', '/docs'],
      ['POST', '/api/stories//'],
      ['GET', '/health//'],
    ];
    const diff = (list: [string, string][]) =>
      list.flatMap(([m, p]) => {
        const old = { role: requiredRole(m, p), cls: endpointClass(m, p) };
        const now = { role: table.requiredRole(m, p), cls: table.endpointClass(m, p) };
        return old.role === now.role && old.cls === now.cls
          ? []
          : [`${m} ${p}: old ${old.role}/${old.cls}, new ${now.role}/${now.cls}`];
      });
    console.log(`routes probed: ${probes.length}; other paths: ${others.length}`);
    console.log(`differences on paths that are not routes:\n${diff(others).join('\n')}`);
    // Intentional: every docs URL is health_status now (the old regex missed docs-yaml and
    // /openapi.json with a trailing slash).
    expect(diff(probes)).toEqual([
      'GET /openapi.json/: old public/default, new public/health_status',
      'GET /api/docs-yaml: old public/default, new public/health_status',
      'get /API/DOCS-YAML: old public/default, new public/health_status',
      'GET /api/docs-yaml/: old public/default, new public/health_status',
      'HEAD /api/docs-yaml: old public/default, new public/health_status',
    ]);
  } finally {
    await app.close();
    await prisma.$disconnect().catch(() => undefined);
  }
}, 60_000);

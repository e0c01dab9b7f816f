import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import * as fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { RouteTable } from './http/routes/route-table';

/** Where the built web app is served (Vite `base` in web/vite.config.ts must match). */
export const WEB_APP_PATH = '/ui';

/** web/dist, found from the source tree (api/) or the compiled one (dist/api/). */
export function findWebDist(): string | undefined {
  return [
    path.resolve(__dirname, '..', 'web', 'dist'),
    path.resolve(__dirname, '..', '..', 'web', 'dist'),
  ].find((d) => fs.existsSync(path.join(d, 'index.html')));
}

/**
 * Serves the built web app (`npm run web:build`) under /ui/, with the SPA fallback: any other
 * GET under /ui/ that is not a file gets index.html, so deep links (/ui/runs/x) work. The
 * landing page at `/` and every API route are untouched. Without a build, nothing is mounted.
 */
export function serveWebApp(
  app: NestExpressApplication,
  routes: RouteTable,
  dist = findWebDist(),
): boolean {
  // Public static files (the app's API calls need a key); declared built or not, so the
  // answer without a build (404) does not depend on a key either.
  routes.declare({
    methods: ['GET'],
    path: `${WEB_APP_PATH}{/*file}`,
    access: 'public',
    source: 'web app (static files)',
  });
  if (!dist) return false;
  const index = path.join(dist, 'index.html');
  app.use(WEB_APP_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.originalUrl === WEB_APP_PATH) return res.redirect(301, `${WEB_APP_PATH}/`);
    next();
  });
  app.useStaticAssets(dist, {
    prefix: `${WEB_APP_PATH}/`,
    index: false,
    setHeaders: (res: ServerResponse, file: string) => {
      // Vite fingerprints everything under assets/; the rest must be revalidated.
      res.setHeader(
        'Cache-Control',
        file.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  app.use(WEB_APP_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (path.extname(req.path) !== '') return next(); // a missing asset stays a 404
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}

import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiError } from '../http/api-error';
import { Access } from '../http/auth/access.decorator';
import { RateLimitClass } from '../http/rate-limit/rate-limit-class.decorator';

const BUNDLE = 'redoc/bundles/redoc.standalone.js';

/** The installed ReDoc bundle, or undefined: docs are served from node_modules, never a CDN. */
export function redocBundlePath(): string | undefined {
  try {
    return require.resolve(BUNDLE);
  } catch {
    return undefined;
  }
}

function unavailable(): ApiError {
  return new ApiError(
    HttpStatus.SERVICE_UNAVAILABLE,
    'RedocUnavailable',
    'ReDoc is not installed on this server (npm package "redoc", which ships bundles/redoc.standalone.js). Swagger UI is at /api/docs.',
  );
}

// No inline script: the <redoc> element configures itself, so the page works under script-src 'self'.
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference (ReDoc)</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<style>body{margin:0;padding:0}</style>
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="/api/redoc/redoc.standalone.js"></script>
</body>
</html>
`;

@ApiExcludeController()
@Access('public')
@RateLimitClass('health_status')
@Controller('api/redoc')
export class RedocController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    if (!redocBundlePath()) throw unavailable();
    return PAGE;
  }

  @Get('redoc.standalone.js')
  bundle(@Res() res: Response): void {
    const file = redocBundlePath();
    if (!file) throw unavailable();
    res.sendFile(file, {
      maxAge: '1d',
      headers: { 'Content-Type': 'application/javascript; charset=utf-8' },
    });
  }
}

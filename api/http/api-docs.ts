import type { INestApplication } from '@nestjs/common';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { RouteTable } from './routes/route-table';

/** Swagger UI (its assets below it), and the document as JSON and YAML. */
export const API_DOCS = {
  ui: '/api/docs',
  json: '/openapi.json',
  yaml: '/api/docs-yaml',
} as const;

/**
 * Mounts Swagger UI and the OpenAPI document, and declares them: public (the document says
 * how to authenticate) and in the health_status rate-limit class, like ReDoc.
 */
export function serveApiDocs(app: INestApplication, document: OpenAPIObject, routes: RouteTable) {
  SwaggerModule.setup(API_DOCS.ui, app, document, {
    jsonDocumentUrl: API_DOCS.json,
    yamlDocumentUrl: API_DOCS.yaml,
  });
  const doc = { methods: ['GET'], access: 'public', limit: 'health_status' } as const;
  routes.declare(
    { ...doc, path: `${API_DOCS.ui}{/*asset}`, source: 'Swagger UI and its assets' },
    { ...doc, path: API_DOCS.json, source: 'OpenAPI document (JSON)' },
    { ...doc, path: API_DOCS.yaml, source: 'OpenAPI document (YAML)' },
  );
}

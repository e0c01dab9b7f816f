/**
 * Writes the API's OpenAPI document to web/src/api/openapi.json (for `npm run web:api-types`,
 * which then generates web/src/api/schema.d.ts with openapi-typescript). No servers: see
 * scripts/openapi-document.ts. scripts/export-openapi.spec.ts fails when the file is stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportedOpenApiDocument, OPENAPI_JSON, openApiJsonText } from './openapi-document';

// npm scripts run from the repository root.
const OUT = path.resolve(process.cwd(), OPENAPI_JSON);

async function main(): Promise<void> {
  const document = await exportedOpenApiDocument();
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, openApiJsonText(document));
  console.log(
    `OpenAPI document (${Object.keys(document.paths).length} paths) written to ${path.relative(process.cwd(), OUT)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});

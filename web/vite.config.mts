import tailwindcss from '@tailwindcss/vite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.QUILLFLOW_API_URL ?? 'http://localhost:8000';

const REQUEST_SCHEMAS = 'virtual:request-schemas';
const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v)) : {};

/**
 * `virtual:request-schemas`: the JSON schema of each request body in the API's OpenAPI document
 * (src/api/openapi.json, made from the API's zod schemas), keyed `POST /api/batches`. The forms
 * read the server's limits there (src/lib/limits.ts): one source, and a few kB in the bundle
 * rather than the whole 250 kB document.
 */
function requestSchemas(): Plugin {
  const file = fileURLToPath(new URL('./src/api/openapi.json', import.meta.url));
  return {
    name: 'quillflow-request-schemas',
    resolveId: (source) => (source === REQUEST_SCHEMAS ? `\0${REQUEST_SCHEMAS}` : undefined),
    load(id) {
      if (id !== `\0${REQUEST_SCHEMAS}`) return undefined;
      this.addWatchFile(file);
      const bodies: Record<string, unknown> = {};
      const paths = record(record(JSON.parse(readFileSync(file, 'utf8'))).paths);
      for (const [path, operations] of Object.entries(paths)) {
        for (const [method, operation] of Object.entries(record(operations))) {
          const content = record(record(record(operation).requestBody).content);
          const schema = record(content['application/json']).schema;
          if (schema !== undefined) bodies[`${method.toUpperCase()} ${path}`] = schema;
        }
      }
      return `export default ${JSON.stringify(bodies)};`;
    },
  };
}

// The API serves the built app under /ui/ (api/web-app.ts); the dev server uses the same base.
export default defineConfig({
  root,
  base: '/ui/',
  plugins: [tailwindcss(), requestSchemas()],
  // `@common/...`: a server module the app imports as it is (one implementation of a fact, e.g.
  // the cron fields the API accepts). Only import-free, browser-safe modules (no zod, no Node).
  resolve: { alias: { '@common': fileURLToPath(new URL('../common', import.meta.url)) } },
  // No @vitejs/plugin-react: Vite 8 compiles TSX with oxc (automatic runtime, no fast refresh).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      // Libraries' "use client" directives mean nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    port: 3001,
    strictPort: true,
    proxy: Object.fromEntries(
      ['/api', '/health', '/mcp', '/logs'].map((p) => [p, { target: api, changeOrigin: false }]),
    ),
  },
  preview: { port: 3001 },
});

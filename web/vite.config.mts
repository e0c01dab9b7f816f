import tailwindcss from '@tailwindcss/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.QUILLFLOW_API_URL ?? 'http://localhost:8000';

// The API serves the built app under /ui/ (api/web-app.ts); the dev server uses the same base.
export default defineConfig({
  root,
  base: '/ui/',
  plugins: [tailwindcss()],
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

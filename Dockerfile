# syntax=docker/dockerfile:1
# The Quillflow image: one image for the API (default command), the worker, migrations, the
# simulator and MCP over stdio. docker-compose.yml picks the command; docs/DEPLOYMENT.md.
#
#   docker build -t quillflow .
#   docker run --env-file .env -p 8000:8000 quillflow                       # API
#   docker run --env-file .env quillflow node dist/workers/main.js          # worker
#   docker run --env-file .env quillflow node dist/prisma/migrate-main.js   # migrations

ARG NODE_VERSION=20.20

# ---- base: Node on Debian slim (glibc: the Temporal core bridge, rolldown, lightningcss and
# better-sqlite3 ship or build glibc binaries)
FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---- deps: every dependency, dev ones included (the build needs tsc, vite, ...)
FROM base AS deps
# better-sqlite3 falls back to compiling with node-gyp when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The repo's .npmrc points node-gyp at Debian's Node headers (/usr); this image keeps its own
# in /usr/local. The environment wins over a project .npmrc.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci

# ---- build: Prisma clients, tsc, the prebuilt workflow bundle, the web app; then drop devDeps
FROM deps AS build
COPY . .
RUN npm run build \
 && test -f dist/workflow-bundle.js \
 && test -f web/dist/index.html \
 && npm prune --omit=dev

# ---- runtime: production dependencies and build output only, as the unprivileged `node` user
FROM base AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time from the source tree's layout (see each loader):
#   web/dist            api/web-app.ts findWebDist()
#   prisma/migrations   prisma/migrator/migration-files.ts migrationsDirectory()
#   activities/prompts  activities/prompts.ts defaultPromptsDir()
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/activities/prompts ./activities/prompts
# logs/ (LOG_FILE_PATH=logs/app.log) and data/ (an SQLite DATABASE_URL) must be writable.
RUN mkdir -p logs data && chown node:node logs data
USER node
EXPOSE 8000
# Liveness of the API (the default command). docker-compose.yml gives the worker, the simulator
# and migrate their own check (or none).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/api/main.js"]

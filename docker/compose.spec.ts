/**
 * Static validation of the deployment files (no Docker engine runs in CI): docker-compose.yml,
 * the Dockerfile, .dockerignore, the Temporal dynamic config and the one-shot setup scripts.
 * Each check names the file and what is wrong, so a broken edit fails here, not on a server.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envSchema } from '../common/config';
import { DEFAULT_CLUSTER_PORTS, serviceEnvironment } from '../temporal/cluster/cluster';
import { SHARED_WITH_COMPOSE } from '../temporal/cluster/repo-files';
import {
  DEFAULT_NAMESPACE_RETENTION,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_VERSION,
} from '../temporal/cluster/version';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../temporal/dev-server/dev-server';
import { SEARCH_ATTRIBUTE_CLI_SPECS } from '../temporal/search-attributes';

const root = path.resolve(__dirname, '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
const exists = (f: string) => fs.existsSync(path.join(root, f));

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: Array<string | { path: string; required?: boolean }> | string;
  depends_on?: Record<string, { condition?: string; required?: boolean }> | string[];
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  ports?: unknown[];
  expose?: unknown[];
  healthcheck?: Healthcheck;
  restart?: string;
  profiles?: string[];
  container_name?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as Compose;
const services = compose.services;
const QUILLFLOW_IMAGE = '${QUILLFLOW_IMAGE:-quillflow:latest}';
const quillflowServices = Object.entries(services).filter(([, s]) => s.image === QUILLFLOW_IMAGE);
const envOf = (s: Service): Record<string, string> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(s.environment.map((e) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]))
    : Object.fromEntries(
        Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]),
      );
const argv = (c: string | string[] | undefined): string[] =>
  c === undefined ? [] : Array.isArray(c) ? c : c.split(/\s+/);
const isOneShot = (s: Service) => s.restart === 'no';
const dependsOn = (s: Service): Record<string, { condition?: string; required?: boolean }> =>
  Array.isArray(s.depends_on)
    ? Object.fromEntries(s.depends_on.map((d) => [d, {}]))
    : (s.depends_on ?? {});

/** `node dist/<x>.js` must be the build output of `<x>.ts` (tsc keeps the source layout). */
function expectNodeEntryHasSource(args: string[], where: string): void {
  const script = args.find((a) => a.startsWith('dist/') && a.endsWith('.js'));
  expect({ where, script }).toEqual({ where, script: expect.any(String) });
  const source = script!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  expect({ where, source, exists: exists(source) }).toEqual({ where, source, exists: true });
}

// ------------------------------------------------------------------------------------------
// .dockerignore, with Docker's semantics: patterns relative to the context root, `*`/`?` within
// a path segment, `**` across segments, a match on a directory excludes what is under it, and the
// last matching pattern wins (`!` re-includes).
function dockerignore(): (file: string) => boolean {
  const rules = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ''));
      const source = pattern
        .split('/')
        .map((seg) =>
          seg === '**'
            ? '.*'
            : seg
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      return { negate, re: new RegExp(`^${source}$`) };
    });
  return (file) => {
    const parts = file.split('/');
    let excluded = false;
    for (const rule of rules) {
      for (let i = 1; i <= parts.length; i++) {
        if (rule.re.test(parts.slice(0, i).join('/'))) {
          excluded = !rule.negate;
          break;
        }
      }
    }
    return excluded;
  };
}

// ------------------------------------------------------------------------------------------
interface Instruction {
  op: string;
  args: string;
  stage: number;
}
function dockerfile(): {
  instructions: Instruction[];
  stages: Array<{ from: string; name?: string }>;
} {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Array<{ from: string; name?: string }> = [];
  const instructions = lines.map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: m?.[1] ?? args, name: m?.[2] });
    }
    return { op: op.toUpperCase(), args, stage: stages.length - 1 };
  });
  return { instructions, stages };
}

describe('docker-compose.yml (static)', () => {
  it('has the stack: database, Temporal (schema, server, setup, UI), migrations, api, worker', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'temporal-schema',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'migrate',
        'api',
        'worker',
      ]),
    );
    expect(quillflowServices.map(([n]) => n).sort()).toEqual([
      'api',
      'migrate',
      'simulator',
      'worker',
    ]);
  });

  it('every service has an image or a build whose context and Dockerfile exist', () => {
    for (const [name, s] of Object.entries(services)) {
      expect({ name, hasImage: Boolean(s.image || s.build) }).toEqual({ name, hasImage: true });
      if (s.build) {
        const b = typeof s.build === 'string' ? { context: s.build } : s.build;
        const context = b.context ?? '.';
        expect({ name, context: exists(context) }).toEqual({ name, context: true });
        expect({
          name,
          dockerfile: exists(path.join(context, b.dockerfile ?? 'Dockerfile')),
        }).toEqual({ name, dockerfile: true });
      }
      if (s.image && !s.build)
        expect({ name, pinned: /:[^:]+$/.test(s.image) && !s.image.endsWith(':latest') }).toEqual({
          name,
          pinned: true,
        });
    }
  });

  it('every file it references exists (bind mounts, required env files)', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0] : v.source;
        if (source && (source.startsWith('./') || source.startsWith('../'))) {
          expect({ name, source, exists: exists(source) }).toEqual({ name, source, exists: true });
        } else if (source) {
          expect({
            name,
            volume: source,
            declared: Object.keys(compose.volumes ?? {}).includes(source),
          }).toEqual({
            name,
            volume: source,
            declared: true,
          });
        }
      }
      const envFiles =
        s.env_file === undefined ? [] : Array.isArray(s.env_file) ? s.env_file : [s.env_file];
      for (const f of envFiles) {
        const entry = typeof f === 'string' ? { path: f, required: true } : f;
        if (entry.required !== false)
          expect({ name, envFile: entry.path, exists: exists(entry.path) }).toEqual({
            name,
            envFile: entry.path,
            exists: true,
          });
        else expect(entry.path).toBe('.env');
      }
    }
    expect(exists('.env.example')).toBe(true);
  });

  it('every ${VAR} it uses is documented in .env.example, and secrets are never inline', () => {
    const documented = new Set(
      read('.env.example')
        .split('\n')
        .map((l) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(l)?.[1])
        .filter(Boolean),
    );
    // Compose interpolates everything but comments.
    const code = composeText.replace(/(^|\s)#.*$/gm, '$1');
    const used = [...code.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(5);
    expect([...new Set(used)].filter((v) => !documented.has(v))).toEqual([]);
    expect([...code.matchAll(/(?<!\$)\$([A-Za-z_])/g)].map((m) => m[0])).toEqual([]); // $VAR without braces

    // Secret-looking values come from the environment, required (`${VAR:?...}`), never a default.
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(envOf(s))) {
        if (/PASSWORD|PWD|SECRET|TOKEN|API_KEY/.test(key)) {
          expect({ name, key, value }).toEqual({
            name,
            key,
            value: expect.stringMatching(/^\$\{[A-Z_]+:\?[^}]*\}$/),
          });
        }
      }
    }
    expect(composeText).not.toMatch(/postgresql:\/\/[^$\s]*:[^$\s{]+@/); // no literal password in a URL
    expect(envOf(services.api).DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
  });

  it('depends_on targets exist, one-shots are awaited to completion and health-gated ones have a healthcheck', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, spec] of Object.entries(dependsOn(s))) {
        expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
        const target = services[dep];
        if (spec.condition === 'service_completed_successfully')
          expect({ name, dep, oneShot: isOneShot(target) }).toEqual({ name, dep, oneShot: true });
        if (spec.condition === 'service_healthy')
          expect({ name, dep, healthcheck: Boolean(target.healthcheck?.test) }).toEqual({
            name,
            dep,
            healthcheck: true,
          });
        // A profile-gated service cannot be a hard dependency of an always-on one.
        if (target.profiles?.length && !s.profiles?.length)
          expect({ name, dep, required: spec.required }).toEqual({ name, dep, required: false });
      }
    }
    for (const app of ['api', 'worker']) {
      expect(dependsOn(services[app])).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        temporal: { condition: 'service_healthy' },
        'temporal-setup': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('long-running services have a healthcheck and a restart policy; one-shots neither restart nor get checked', () => {
    for (const [name, s] of Object.entries(services)) {
      if (isOneShot(s)) {
        if (s.image === QUILLFLOW_IMAGE)
          expect({ name, healthcheck: s.healthcheck }).toEqual({
            name,
            healthcheck: { disable: true },
          });
        continue;
      }
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, test: s.healthcheck?.test }).toEqual({ name, test: expect.anything() });
      expect({ name, disabled: s.healthcheck?.disable ?? false }).toEqual({
        name,
        disabled: false,
      });
    }
  });

  it('the worker scales: no container_name, no published ports (anywhere: no container_name at all)', () => {
    for (const [name, s] of Object.entries(services))
      expect({ name, container_name: s.container_name }).toEqual({
        name,
        container_name: undefined,
      });
    expect(services.worker.ports).toBeUndefined();
  });

  it('Quillflow containers run commands that the build produces, with config keys the app knows', () => {
    // MALLOC_ARENA_MAX is glibc's, read at process start (workers/process-settings.ts).
    const known = new Set([...Object.keys(envSchema.shape), 'SIMULATOR_HOST', 'MALLOC_ARENA_MAX']);
    for (const [name, s] of quillflowServices) {
      const args = argv(s.command);
      expect({ name, program: args[0] }).toEqual({ name, program: 'node' });
      expectNodeEntryHasSource(args, `docker-compose.yml ${name}`);
      expect({ name, unknown: Object.keys(envOf(s)).filter((k) => !known.has(k)) }).toEqual({
        name,
        unknown: [],
      });
    }
    // In-stack addresses point at services of this file.
    const env = envOf(services.api);
    expect(env.TEMPORAL_ADDRESS.split(':')[0] in services).toBe(true);
    expect(/@([^:/]+):\d+\//.exec(env.DATABASE_URL)?.[1]).toBe('postgres');
    expect(new URL(env.SIMULATOR_URL).hostname in services).toBe(true);
    // Health checks probe the ports the processes listen on.
    expect(JSON.stringify(services.api.healthcheck?.test)).toContain(
      `127.0.0.1:${env.PORT}/health/ready`,
    );
    expect(JSON.stringify(services.worker.healthcheck?.test)).toContain(
      `127.0.0.1:${envOf(services.worker).WORKER_APP_METRICS_PORT}/health`,
    );
    expect(JSON.stringify(services.simulator.healthcheck?.test)).toContain(
      `127.0.0.1:${envOf(services.simulator).SIMULATOR_PORT}/health`,
    );
    const health = read('api/system/health.controller.ts');
    expect(health).toContain("@Controller('health')");
    expect(health).toContain("@Get('ready')");
  });

  it('Temporal: server on the stack PostgreSQL with the committed dynamic config; setup registers our search attributes', () => {
    const t = envOf(services.temporal);
    expect(t).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', DB_PORT: '5432' });
    const mount = (services.temporal.volumes ?? [])
      .map(String)
      .find((v) => v.startsWith('./temporal/dynamic-config.yaml:'));
    expect(mount).toBeDefined();
    expect(mount!.split(':')[1]).toBe(path.posix.join('/etc/temporal', t.DYNAMIC_CONFIG_FILE_PATH));

    // The dynamic config has every key the dev server (npm start, tests) relies on, same values.
    const dynamic = parse(read('temporal/dynamic-config.yaml')) as Record<
      string,
      Array<{ value: unknown }>
    >;
    // Not in the production file: forceSearchAttributesCacheRefreshOnRead is dev-only (temporal-setup
    // waits instead); enableExecuteMultiOperation is a key the dev server's 1.29 needs and 1.30 removed.
    const devOnly = [
      'system.forceSearchAttributesCacheRefreshOnRead',
      'frontend.enableExecuteMultiOperation',
    ];
    for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) {
      if (devOnly.includes(key)) continue;
      expect({ key, value: dynamic[key]?.[0]?.value }).toEqual({ key, value });
    }

    const specs = envOf(services['temporal-setup']).QUILLFLOW_SEARCH_ATTRIBUTES.trim().split(/\s+/);
    expect(specs).toEqual([...SEARCH_ATTRIBUTE_CLI_SPECS]);
    expect(envOf(services['temporal-setup']).TEMPORAL_NAMESPACE).toBe(
      envOf(services.api).TEMPORAL_NAMESPACE,
    );
  });

  it('the local Temporal cluster (npm run temporal:cluster) runs what the compose stack runs', () => {
    const tag = (image: string | undefined) => /:\$\{[A-Z_]+:-([^}]+)\}$/.exec(image ?? '')?.[1];
    // One Temporal version for the server image, the admin tools and the Go-built cluster.
    for (const name of ['temporal', 'temporal-schema', 'temporal-setup']) {
      expect({ name, version: tag(services[name].image) }).toEqual({
        name,
        version: TEMPORAL_SERVER_VERSION,
      });
    }
    expect(tag(services['temporal-ui'].image)).toBe(TEMPORAL_UI_VERSION);
    // The same scripts and dynamic config file, mounted here, run there.
    const mounts = (name: string) =>
      (services[name].volumes ?? []).map(String).map((v) => v.split(':')[0]);
    expect(mounts('temporal-schema')).toContain(`./${SHARED_WITH_COMPOSE.schemaScript}`);
    expect(mounts('temporal-setup')).toContain(`./${SHARED_WITH_COMPOSE.setupScript}`);
    expect(mounts('temporal')).toContain(`./${SHARED_WITH_COMPOSE.dynamicConfig}`);
    // The server config the cluster renders sets every variable compose gives the server image.
    const t = envOf(services.temporal);
    const cluster = serviceEnvironment({
      db: {
        host: 'h',
        port: 5432,
        user: 'u',
        password: 'p',
        database: 'temporal',
        visibilityDatabase: 'temporal_visibility',
      },
      ports: DEFAULT_CLUSTER_PORTS,
      maxConnsPerService: 10,
      numHistoryShards: 4,
      dynamicConfigFile: 'f',
    });
    expect(Object.keys(t).filter((k) => !(k in cluster))).toEqual([]);
    expect(cluster.DB).toBe(t.DB);
    // Namespace retention: compose's default, the setup script's default and the cluster's.
    const retention = /\$\{TEMPORAL_NAMESPACE_RETENTION:-([^}]+)\}/.exec(composeText)?.[1];
    expect(retention).toBe(DEFAULT_NAMESPACE_RETENTION);
    expect(read(SHARED_WITH_COMPOSE.setupScript)).toContain(
      `TEMPORAL_NAMESPACE_RETENTION:=${DEFAULT_NAMESPACE_RETENTION}`,
    );
  });

  it('the setup scripts are valid POSIX sh that stop on the first error', () => {
    for (const [name, s] of Object.entries(services)) {
      const script = argv(s.entrypoint).find((a) => a.startsWith('/scripts/'));
      if (!script) continue;
      const mounted = (s.volumes ?? []).map(String).find((v) => v.split(':')[1] === script);
      expect({ name, mounted: Boolean(mounted) }).toEqual({ name, mounted: true });
      const file = mounted!.split(':')[0];
      const check = spawnSync('sh', ['-n', path.join(root, file)], { encoding: 'utf8' });
      expect({ file, status: check.status, stderr: check.stderr }).toEqual({
        file,
        status: 0,
        stderr: '',
      });
      expect(read(file)).toMatch(/^#!\/bin\/sh\n[\s\S]*^set -eu$/m);
    }
  });

  it('`docker compose config` accepts it (when the compose plugin is installed)', () => {
    const version = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (version.status !== 0) {
      console.log(
        `SKIPPED \`docker compose config\`: the docker compose plugin is not available here (${(version.stderr || version.error?.message || '').trim().split('\n')[0]}). The static checks above still ran.`,
      );
      return;
    }
    const out = execFileSync(
      'docker',
      ['compose', '-f', 'docker-compose.yml', '--profile', 'simulator', 'config', '--quiet'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, POSTGRES_PASSWORD: 'static-check' },
      },
    );
    expect(out).toBe('');
  });
});

describe('Dockerfile and .dockerignore (static)', () => {
  const { instructions, stages } = dockerfile();
  const final = stages.length - 1;
  const inFinal = (op: string) => instructions.filter((i) => i.op === op && i.stage === final);
  const ignored = dockerignore();

  it('is multi-stage: deps (with a native toolchain) -> build -> slim runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages.map((s) => s.name)).toEqual(expect.arrayContaining(['deps', 'build', 'runtime']));
    const names = new Set(stages.map((s) => s.name));
    for (const s of stages) expect(s.from.startsWith('node:') || names.has(s.from)).toBe(true);
    const nodeBase = stages.find((s) => s.from.startsWith('node:'))!;
    expect(nodeBase.from).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim$/);
    expect(read('Dockerfile')).toMatch(/^ARG NODE_VERSION=20\.\d+$/m);
    const run = (stage: string) =>
      instructions
        .filter((i) => i.op === 'RUN' && stages[i.stage].name === stage)
        .map((i) => i.args)
        .join('\n');
    expect(run('deps')).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(run('deps')).toMatch(/npm ci(?! --omit)/);
    // Build with devDependencies, prune them only afterwards.
    expect(run('build')).toMatch(/npm run build[\s\S]*npm prune --omit=dev/);
    expect(run('build')).toContain('test -f dist/workflow-bundle.js');
    // COPY --from names an earlier stage.
    for (const i of instructions.filter((x) => x.op === 'COPY' && x.args.includes('--from='))) {
      const from = /--from=(\S+)/.exec(i.args)![1];
      expect(stages.slice(0, i.stage).some((s) => s.name === from)).toBe(true);
    }
  });

  it('runtime: non-root user, port 8000, health check on /health, API by default', () => {
    const user = inFinal('USER').map((i) => i.args);
    expect(user.length).toBeGreaterThan(0);
    expect(user[user.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(inFinal('EXPOSE').map((i) => i.args)).toContain('8000');
    const hc = inFinal('HEALTHCHECK')
      .map((i) => i.args)
      .join(' ');
    expect(hc).toMatch(/CMD .*\/health'/);
    const cmd = JSON.parse(inFinal('CMD').at(-1)!.args) as string[];
    expect(cmd).toEqual(['node', 'dist/api/main.js']);
    expectNodeEntryHasSource(cmd, 'Dockerfile CMD');
    // What the runtime copies from the build is what the loaders look for at run time.
    const copied = inFinal('COPY').map((i) => i.args.split(/\s+/).at(-1)!.replace(/^\.\//, ''));
    expect(copied).toEqual(
      expect.arrayContaining([
        'node_modules',
        'dist',
        'web/dist',
        'prisma/migrations',
        'activities/prompts',
      ]),
    );
    expect(read('api/web-app.ts')).toContain("'..', '..', 'web', 'dist'");
    expect(read('prisma/migrator/migration-files.ts')).toContain(
      "'..', '..', '..', 'prisma', 'migrations'",
    );
    expect(read('activities/prompts.ts')).toContain("'../../activities/prompts'");
    expect(read('workers/main.ts')).toContain("path.join(__dirname, '..', 'workflow-bundle.js')");
    expect(read('scripts/bundle-workflows.ts')).toContain(
      "path.join(__dirname, '..', 'workflow-bundle.js')",
    );
  });

  it('the build context has what the build needs and nothing generated or secret', () => {
    for (const f of [
      '.git',
      'node_modules',
      'dist',
      'web/dist',
      'prisma/generated',
      '.env',
      '.env.local',
      'data',
      'logs',
      'api/metrics/metrics.service.spec.ts',
    ]) {
      expect({ f, ignored: ignored(f) }).toEqual({ f, ignored: true });
    }
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const viteConfig = /--config (\S+)/.exec(pkg.scripts['web:build'])?.[1] ?? 'web/vite.config.ts';
    const needed = [
      'package.json',
      'package-lock.json',
      '.npmrc',
      'tsconfig.json',
      'tsconfig.build.json',
      'prisma/schema.prisma',
      'prisma/migrations',
      'scripts/prisma-generate.js',
      'scripts/bundle-workflows.ts',
      'web/index.html',
      viteConfig,
      'web/src',
      'activities/prompts',
      'common/pricing-table.json',
      'workflows/index.ts',
      'api/main.ts',
    ];
    for (const f of needed) {
      expect({ f, exists: exists(f), ignored: ignored(f) }).toEqual({
        f,
        exists: true,
        ignored: false,
      });
    }
    for (const i of instructions.filter((x) => x.op === 'COPY' && !x.args.includes('--from='))) {
      const sources = i.args
        .split(/\s+/)
        .filter((a) => !a.startsWith('--'))
        .slice(0, -1);
      for (const src of sources.filter((s) => s !== '.'))
        expect({ src, exists: exists(src), ignored: ignored(src) }).toEqual({
          src,
          exists: true,
          ignored: false,
        });
    }
    // package.json scripts the image relies on.
    expect(pkg.scripts.build).toMatch(
      /prisma:generate.*tsc -p tsconfig\.build\.json.*bundle-workflows.*web:build/,
    );
  });
});

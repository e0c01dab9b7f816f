/**
 * Files of the repository that the cluster shares with docker-compose.yml (setup scripts,
 * dynamic config). They are not compiled, so they are found from the repository root whether
 * this code runs from the sources or from dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

function repoRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'quillflow'
    ) {
      root = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no Quillflow package.json above ${__dirname}`);
  }
}

/** Absolute path of a file given relative to the repository root; throws if it is missing. */
export function repoFile(relative: string): string {
  const file = path.join(repoRoot(), relative);
  if (!existsSync(file)) throw new Error(`${relative} is missing from ${repoRoot()}`);
  return file;
}

/** What the local cluster and docker-compose.yml both run (docker/compose.spec.ts checks the mounts). */
export const SHARED_WITH_COMPOSE = {
  schemaScript: 'docker/temporal-schema.sh',
  setupScript: 'docker/temporal-setup.sh',
  dynamicConfig: 'temporal/dynamic-config.yaml',
} as const;

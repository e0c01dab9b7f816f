import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The ESLint rule that keeps workflow code deterministic must actually fire. Lints probe files
 * with the project's own workflow rule block (from eslint.config.mjs), without type-aware rules,
 * in a child process: the config is ESM, which Jest's VM cannot load.
 */
const root = path.join(__dirname, '..');

const runner = `
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import config from './eslint.config.mjs';
const workflowBlocks = config.filter((c) => c.files?.some((f) => f.startsWith('workflows/')));
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...workflowBlocks],
});
const results = await eslint.lintFiles(JSON.parse(process.argv[1]));
console.log(JSON.stringify(results.map((r) => r.messages.map((m) => m.ruleId + ': ' + m.message))));
`;

function lint(sources: string[]): string[][] {
  const files = sources.map((src, i) => {
    const f = path.join(__dirname, `lint-probe-${process.pid}-${i}.ts`);
    fs.writeFileSync(f, src);
    return f;
  });
  try {
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', runner, JSON.stringify(files)],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as string[][];
  } finally {
    files.forEach((f) => fs.rmSync(f, { force: true }));
  }
}

describe('workflow determinism lint rule', () => {
  const forbidden: [string, string][] = [
    ["import fs from 'node:fs';\nexport const x = fs;\n", 'no-restricted-imports'],
    [
      "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n",
      'no-restricted-imports',
    ],
    ["import OpenAI from 'openai';\nexport const x = OpenAI;\n", 'no-restricted-imports'],
    [
      "import { createActivities } from '../activities';\nexport const x = createActivities;\n",
      'no-restricted-imports',
    ],
    ['export const x = process.env.HOME;\n', 'no-restricted-globals'],
  ];
  const allowed =
    "import type { Activities } from '../activities';\n" +
    "import { normalizeFramework } from '../common/frameworks';\n" +
    "import { SEARCH_ATTRIBUTE_KEYS } from '../temporal/search-attributes';\n" +
    'export type A = Activities;\nexport const f = normalizeFramework;\nexport const k = SEARCH_ATTRIBUTE_KEYS;\n';

  it('rejects Node built-ins, I/O libraries, runtime imports of other layers and process', () => {
    const results = lint([...forbidden.map(([src]) => src), allowed]);
    forbidden.forEach(([src, rule], i) => {
      expect({ src, found: results[i].some((m) => m.startsWith(rule)) }).toEqual({
        src,
        found: true,
      });
    });
    expect(results[forbidden.length]).toEqual([]);
  });
});

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';
import globals from 'globals';

// Workflow code is replayed by Temporal and must be deterministic: no Node built-ins,
// no I/O libraries, nothing that talks to the outside world. Only types and pure helpers
// from common/ may be imported.
const forbiddenInWorkflows = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  '@prisma/*',
  'prisma',
  'openai',
  '@langchain/*',
  'pg',
  'better-sqlite3',
  'pino',
  'pino-*',
  '@nestjs/*',
  '@modelcontextprotocol/*',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  'axios',
  'undici',
];

// The web app imports these common/ files as they are (@common alias, web/vite.config.mts): they
// must stay import-free, so no Node API or server library reaches the browser bundle.
const WEB_SHARED_COMMON = ['origins', 'run-statuses', 'schemas/cron', 'schemas/every'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'prisma/generated/**',
      'web/dist/**',
      'test-artifacts/**',
      'web/src/api/schema.d.ts',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  // Type-aware rules for TypeScript; the repo's few scripts (*.js, *.mjs) get the plain JS rules.
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({
    ...c,
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
  })),
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The framework catalog and infos sit beside the implementations but are loaded by workflows.
    files: [
      'workflows/**/*.ts',
      'activities/frameworks/catalog.ts',
      'activities/frameworks/*/info.ts',
    ],
    ignores: ['workflows/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbiddenInWorkflows,
              message:
                'Workflow code must be deterministic: no Node built-ins or I/O. Do the work in an activity.',
            },
            {
              // search-attributes.ts imports only @temporalio/common: safe in the workflow sandbox.
              group: [
                ...['activities', 'api', 'workers', 'mcp', 'prisma'].flatMap((d) => [
                  `../${d}`,
                  `../${d}/*`,
                ]),
                // (no bare '../temporal': a matched parent folder would defeat the exception below)
                '../temporal/*',
                '!../temporal/search-attributes',
              ],
              allowTypeImports: true,
              message:
                'Workflows may import only types from other layers (and pure helpers from common/).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'No process access in workflows.' },
        { name: 'setInterval', message: 'Use workflow timers (sleep/condition).' },
        { name: 'fetch', message: 'No I/O in workflows: use an activity.' },
        { name: 'require', message: 'No dynamic requires in workflows.' },
      ],
    },
  },
  {
    // (Workflow files have their own no-restricted-imports above, which this would replace.)
    files: ['**/*.ts'],
    ignores: ['workflows/**', 'temporal/sdk-internals.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@temporalio/*/lib/*', '@temporalio/proto'],
              message:
                'Deep SDK paths and the proto package go through temporal/sdk-internals.ts, so an SDK upgrade that moves them breaks one file.',
            },
          ],
        },
      ],
    },
  },
  prettier,
  {
    files: WEB_SHARED_COMMON.map((f) => `common/${f}.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '.*',
              message: 'the web app imports this file (@common): keep it import-free',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^@common/(?!(${WEB_SHARED_COMMON.join('|')})$)`,
              message: `the web app may import only ${WEB_SHARED_COMMON.map((f) => `@common/${f}`).join(', ')} (import-free files); add one to WEB_SHARED_COMMON in eslint.config.mjs only if it imports nothing`,
            },
          ],
        },
      ],
    },
  },
);

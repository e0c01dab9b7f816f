// Lets `node -r ./test/support/ts-register.js entry.ts` run TypeScript sources without a build
// (the stdio MCP test spawns the real entry this way). Transpile-only with the project's own
// `typescript`, CommonJS like Jest's transform; types are checked by `npm run typecheck`.
// A dev-time stand-in for `tsx`/`ts-node`, which are not dependencies. Output is cached by
// content hash so repeated spawns skip the transpiling.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CACHE_DIR = path.join(os.tmpdir(), 'quillflow-ts-register-v1');
let ts;
const compilerOptions = () => ({
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  resolveJsonModule: true,
  inlineSourceMap: true,
});

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto
    .createHash('sha256')
    .update(filename)
    .update('\0')
    .update(source)
    .digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    ts ??= require('typescript');
    output = ts.transpileModule(source, {
      compilerOptions: compilerOptions(),
      fileName: filename,
    }).outputText;
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, output);
    fs.renameSync(tmp, cached); // atomic: concurrent spawns never read half a file
  }
  module._compile(output, filename);
};

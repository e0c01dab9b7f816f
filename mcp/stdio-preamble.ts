import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Imported first by stdio.ts, before anything that reads .env or logs.
 *
 * 1. stdout is the protocol channel: a stray console.log from any library would corrupt it,
 *    so console output goes to stderr.
 * 2. MCP clients such as Claude Desktop start the server from their own working directory;
 *    running from the project root (or QUILLFLOW_HOME) makes .env, the default SQLite file and
 *    the log directory the same ones `npm run api` uses.
 */
console.log = console.error;
console.info = console.error;
console.debug = console.error;

function projectRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const home = process.env.QUILLFLOW_HOME ?? projectRoot(__dirname);
if (home) process.chdir(home);

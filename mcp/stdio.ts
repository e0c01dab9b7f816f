import './stdio-preamble';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../api/app.module';
import { platformDepsFromEnv } from '../api/platform-deps';
import { guardTransport } from './jsonrpc-gate';
import { McpServerFactory } from './mcp-server.factory';

/**
 * `npm run mcp`: the MCP server over stdio, for Claude Desktop and IDEs. Same services, DB and
 * Temporal as the API (workers must be running to execute the workflows it starts). Logs go
 * to stderr and the log file; stdout carries only the protocol.
 */
async function main(): Promise<void> {
  const deps = await platformDepsFromEnv('mcp', { destination: 2 });
  // No Nest console logger: it writes to stdout. Pino (stderr) takes over once built.
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(deps), {
    logger: false,
  });
  app.useLogger(app.get(Logger));
  const server = app.get(McpServerFactory).create();
  const transport = new StdioServerTransport();

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ why }, 'MCP stdio server stopping');
    await server.close().catch(() => undefined);
    await app.close();
    await deps.close();
    process.exit(0);
  };
  transport.onclose = () => void stop('client closed stdin');
  process.stdin.once('end', () => void stop('stdin ended'));
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  await server.connect(transport);
  guardTransport(transport);
  deps.logger.info(
    { provider: deps.config.provider.name, taskQueue: deps.config.env.TEMPORAL_TASK_QUEUE },
    'MCP stdio server ready',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Quillflow MCP server failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});

import { Module } from '@nestjs/common';
import { RunsModule } from '../api/runs/runs.module';
import { StoriesModule } from '../api/stories/stories.module';
import { McpController } from './http/mcp.controller';
import { McpServerFactory } from './mcp-server.factory';

/** The MCP server on the API's services: Streamable HTTP at /mcp here, stdio in mcp/stdio.ts. */
@Module({
  imports: [StoriesModule, RunsModule],
  controllers: [McpController],
  providers: [McpServerFactory],
  exports: [McpServerFactory],
})
export class McpModule {}

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerBatchTools } from './batch-tools';
import { registerConversationTools } from './conversation-tools';
import { registerPrompts } from './prompts';
import { registerResources, SERVER_NAME } from './resources';
import { registerRunTools } from './run-tools';
import type { McpServices } from './services';
import { registerStoryTools } from './story-tools';

/**
 * One MCP server over the platform's services. Cheap to build: the HTTP transport builds one
 * per request (stateless), stdio one per process.
 */
export function createMcpServer(s: McpServices): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'Quillflow', version: s.config.env.APP_VERSION },
    {
      instructions:
        'Quillflow generates stories (and more) as durable Temporal workflows. Tools that start work return a workflow_id; ' +
        'follow it with get_run / run://{workflow_id}. Every record carries a transaction_guid.',
    },
  );
  registerStoryTools(server, s);
  registerRunTools(server, s);
  registerBatchTools(server, s);
  registerConversationTools(server, s);
  registerResources(server, s);
  registerPrompts(server);
  return server;
}

import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { CONFIG } from '../../api/core/tokens';
import type { AppConfig } from '../../common/config';
import { guardTransport, notJsonRpc } from '../jsonrpc-gate';
import { McpServerFactory } from '../mcp-server.factory';
import { checkMcpHttpRequest, mcpHttpPolicy, type McpHttpPolicy } from './http-guard';
import { Access } from '../../api/http/auth/access.decorator';

const rpcError = (code: number, message: string) => ({
  jsonrpc: '2.0',
  error: { code, message },
  id: null,
});

/**
 * MCP Streamable HTTP at /mcp, stateless: every POST gets a fresh server and transport, so
 * any API replica can answer any request and nothing lives between requests. GET (a
 * server-to-client stream) and DELETE (ending a session) need sessions, hence 405.
 */
@ApiExcludeController()
@Controller('mcp')
export class McpController {
  private readonly policy: McpHttpPolicy;

  constructor(
    private readonly factory: McpServerFactory,
    @Inject(CONFIG) config: AppConfig,
    private readonly log: PinoLogger,
  ) {
    this.policy = mcpHttpPolicy(config.env);
    log.setContext('mcp-http');
  }

  @Access('user')
  @Post()
  async post(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.admit(req, res)) return;
    const invalid = notJsonRpc(req.body);
    if (invalid) {
      res.status(400).json(invalid);
      return;
    }
    const server = this.factory.create();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      guardTransport(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (err) {
      this.log.error({ err }, 'mcp http request failed');
      if (!res.headersSent) res.status(500).json(rpcError(-32603, 'Internal server error'));
    }
  }

  @Access('user')
  @Get()
  get(@Req() req: Request, @Res() res: Response): void {
    this.notAllowed(req, res);
  }

  @Access('admin')
  @Delete()
  delete(@Req() req: Request, @Res() res: Response): void {
    this.notAllowed(req, res);
  }

  private notAllowed(req: Request, res: Response): void {
    if (!this.admit(req, res)) return;
    res
      .status(405)
      .set('Allow', 'POST')
      .json(
        rpcError(
          -32000,
          'Method not allowed: this MCP server is stateless; POST JSON-RPC messages to /mcp',
        ),
      );
  }

  private admit(req: Request, res: Response): boolean {
    const refusal = checkMcpHttpRequest(
      { host: req.header('host'), origin: req.header('origin') },
      this.policy,
    );
    if (!refusal) return true;
    res.status(refusal.status).json(rpcError(-32001, refusal.message));
    return false;
  }
}

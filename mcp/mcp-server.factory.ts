import { Inject, Injectable, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Client } from '@temporalio/client';
import { PinoLogger } from 'nestjs-pino';
import { BatchesService } from '../api/batches/batches.service';
import { ChatService } from '../api/chat/chat.service';
import { ContextExecutionsService } from '../api/context/context-executions.service';
import { ContextFilesService } from '../api/context/context-files.service';
import { CONFIG, PRISMA, TEMPORAL } from '../api/core/tokens';
import { RunsService } from '../api/runs/runs.service';
import { StoriesService } from '../api/stories/stories.service';
import type { AppConfig } from '../common/config';
import type { PrismaClient } from '../prisma/client';
import { createMcpServer } from './server';
import type { McpServices } from './services';

/** Builds MCP servers on the Nest services (one per HTTP request, one per stdio process). */
@Injectable()
export class McpServerFactory {
  private readonly base: Omit<
    McpServices,
    'batches' | 'chat' | 'contextExecutions' | 'contextFiles'
  >;
  private services?: McpServices;

  constructor(
    stories: StoriesService,
    runs: RunsService,
    @Inject(CONFIG) config: AppConfig,
    @Inject(PRISMA) prisma: PrismaClient,
    @Inject(TEMPORAL) temporal: Client,
    logger: PinoLogger,
    private readonly moduleRef: ModuleRef,
  ) {
    logger.setContext('mcp');
    this.base = {
      config,
      prisma,
      temporal,
      stories,
      runs,
      log: logger,
      maxWaitMs: config.env.MCP_MAX_WAIT_SECONDS * 1000,
    };
  }

  create(): McpServer {
    // Resolved on first use, when every module of the app is built.
    this.services ??= {
      ...this.base,
      batches: this.optional(BatchesService),
      chat: this.optional(ChatService),
      contextExecutions: this.optional(ContextExecutionsService),
      contextFiles: this.optional(ContextFilesService),
    };
    return createMcpServer(this.services);
  }

  /** A service of a feature module the app may not include (then its tools are left out). */
  private optional<T>(type: Type<T>): T | undefined {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return undefined;
    }
  }
}

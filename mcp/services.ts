import type { Client } from '@temporalio/client';
import type { BatchesService } from '../api/batches/batches.service';
import type { ChatService } from '../api/chat/chat.service';
import type { ContextExecutionsService } from '../api/context/context-executions.service';
import type { ContextFilesService } from '../api/context/context-files.service';
import type { RunsService } from '../api/runs/runs.service';
import type { StoriesService } from '../api/stories/stories.service';
import type { AppConfig } from '../common/config';
import type { PrismaClient } from '../prisma/client';
import type { McpLog } from './tool';

/**
 * What the MCP server is built on: the same Nest services as the HTTP API (so both validate,
 * start and record work the same way), plus the shared clients for what has no service yet.
 * Optional services are those of features a deployment may lack; their tools are then absent.
 */
export interface McpServices {
  config: AppConfig;
  prisma: PrismaClient;
  temporal: Client;
  stories: StoriesService;
  runs: RunsService;
  batches?: Pick<
    BatchesService,
    'create' | 'estimate' | 'get' | 'snapshot' | 'pause' | 'resume' | 'cancel'
  >;
  chat?: Pick<ChatService, 'send'>;
  contextExecutions?: Pick<ContextExecutionsService, 'start' | 'result'>;
  contextFiles?: Pick<ContextFilesService, 'list'>;
  log: McpLog;
  /** Longest a tool with wait=true waits, in ms (MCP_MAX_WAIT_SECONDS). */
  maxWaitMs: number;
}

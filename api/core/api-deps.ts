import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../common/config';
import type { Logger } from '../../common/logger';
import type { PrismaClient } from '../../prisma/client';

export interface ApiDeps {
  config: AppConfig;
  prisma: PrismaClient;
  temporal: Client;
  logger: Logger;
}

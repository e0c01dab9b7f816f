import type { AppConfig } from '../common/config';
import type { Logger } from '../common/logger';
import type { PricingTable } from '../common/pricing';
import type { PrismaClient } from '../prisma/client';

/** Everything activities touch, passed in so tests can hand in real or test parts. */
export interface ActivityDeps {
  prisma: PrismaClient;
  config: AppConfig;
  logger: Logger;
  pricing: PricingTable;
  /** Folder of the editable prompt templates (activities/prompts by default). */
  promptsDir: string;
}

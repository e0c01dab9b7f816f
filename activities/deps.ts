import type { AppConfig } from '../common/config';
import type { Logger } from '../common/logger';
import type { PricingTable } from '../common/pricing';
import type { PrismaClient } from '../prisma/client';
import type { LlmMetrics } from './llm/llm-metrics';

/** Everything activities touch, passed in so tests can hand in real or test parts. */
export interface ActivityDeps {
  prisma: PrismaClient;
  config: AppConfig;
  logger: Logger;
  pricing: PricingTable;
  /** Folder of the editable prompt templates (activities/prompts by default). */
  promptsDir: string;
  /** Prometheus counters for LLM calls (the worker's app metrics); absent in tests and scripts. */
  metrics?: LlmMetrics;
}

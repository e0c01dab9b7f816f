import { Inject, Injectable } from '@nestjs/common';
import type { DeletedCount } from '../../common/schemas/response-fields';
import type { PrismaClient } from '../../prisma/client';
import { PRISMA } from '../core/tokens';
import type { CostRange } from '../../common/schemas/cost';
import { costSummary, costUsage, costWindowFor, transactions } from './cost-aggregation';
import { loadCostRecords } from './cost-records';

@Injectable()
export class CostService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async usage(range: CostRange) {
    const window = costWindowFor(range);
    return costUsage(await loadCostRecords(this.prisma, window), window);
  }

  async summary(range: CostRange) {
    return costSummary(await loadCostRecords(this.prisma, costWindowFor(range)));
  }

  async transactions(range: CostRange) {
    return transactions(await loadCostRecords(this.prisma, costWindowFor(range), true));
  }

  /**
   * Wipes every cost record in one transaction: all or nothing. Messages are deleted
   * explicitly before their conversations (the foreign key cascades too), so none is ever
   * left behind to be "inherited" by a later conversation, as happened in the original.
   */
  async clearAll(): Promise<DeletedCount> {
    const [, conversations, contexts, stories] = await this.prisma.$transaction([
      this.prisma.chatMessage.deleteMany({}),
      this.prisma.chatConversation.deleteMany({}),
      this.prisma.contextPromptExecution.deleteMany({}),
      this.prisma.story.deleteMany({}),
    ]);
    return {
      message: `Successfully cleared all cost records (Stories: ${stories.count}, Conversations: ${conversations.count}, Contexts: ${contexts.count})`,
      deleted_count: stories.count + conversations.count + contexts.count,
    };
  }
}

import { Module } from '@nestjs/common';
import { BatchEstimator } from './batch-estimate';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';

@Module({
  controllers: [BatchesController],
  providers: [BatchesService, BatchEstimator],
  exports: [BatchesService],
})
export class BatchesModule {}

import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { StoriesModule } from '../stories/stories.module';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

@Module({
  imports: [StoriesModule, BatchesModule],
  controllers: [RunsController],
  providers: [RunsService],
  exports: [RunsService],
})
export class RunsModule {}

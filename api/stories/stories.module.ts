import { Module } from '@nestjs/common';
import { LegacyStoriesController } from './legacy-stories.controller';
import { StoriesController } from './stories.controller';
import { StoriesService } from './stories.service';

@Module({
  controllers: [StoriesController, LegacyStoriesController],
  providers: [StoriesService],
  exports: [StoriesService],
})
export class StoriesModule {}

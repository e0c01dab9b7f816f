import { Module } from '@nestjs/common';
import { ContextExecutionsService } from './context-executions.service';
import { ContextFilesService } from './context-files.service';
import { ContextController } from './context.controller';
import { ContextUploadInterceptor } from './upload.interceptor';

@Module({
  controllers: [ContextController],
  providers: [ContextFilesService, ContextExecutionsService, ContextUploadInterceptor],
  exports: [ContextFilesService, ContextExecutionsService],
})
export class ContextModule {}

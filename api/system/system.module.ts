import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { RedocController } from './redoc.controller';
import { SystemController } from './system.controller';
import { UiConfigController } from './ui-config.controller';

@Module({ controllers: [SystemController, HealthController, RedocController, UiConfigController] })
export class SystemModule {}

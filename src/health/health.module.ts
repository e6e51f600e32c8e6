import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LifecycleModule } from '../lifecycle/lifecycle.module.js';
import { HealthController } from './health.controller.js';
import { UserinfoHealthIndicator } from './userinfo.health.js';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), HttpModule, LifecycleModule],
  controllers: [HealthController],
  providers: [UserinfoHealthIndicator],
})
export class HealthModule {}

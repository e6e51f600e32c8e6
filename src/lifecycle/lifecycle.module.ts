import { Module } from '@nestjs/common';
import { GracefulShutdown } from './graceful-shutdown.service.js';

@Module({ providers: [GracefulShutdown], exports: [GracefulShutdown] })
export class LifecycleModule {}

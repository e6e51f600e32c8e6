import { Module } from '@nestjs/common';
import { CallLogModule } from '../call-log/call-log.module.js';
import { LogRetention } from './log-retention.service.js';

@Module({ imports: [CallLogModule], providers: [LogRetention] })
export class RetentionModule {}

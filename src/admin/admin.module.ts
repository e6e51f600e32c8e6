import { Module } from '@nestjs/common';
import { CallLogModule } from '../call-log/call-log.module.js';
import { QuotaModule } from '../quota/quota.module.js';
import { AdminController } from './admin.controller.js';
import { AdminKeyGuard } from './admin-key.guard.js';

@Module({
  imports: [QuotaModule, CallLogModule],
  controllers: [AdminController],
  providers: [AdminKeyGuard],
})
export class AdminModule {}

import { Module } from '@nestjs/common';
import { CallLogModule } from '../call-log/call-log.module.js';
import { QuotaModule } from '../quota/quota.module.js';
import { AdminClientsController } from './admin-clients.controller.js';
import { AdminController } from './admin.controller.js';
import { AdminKeyGuard } from './admin-key.guard.js';
import { AdminService } from './admin.service.js';

/** The operator API under /api/admin; OAuthClientsService and OAuthUsersService come from the global provider module. */
@Module({
  imports: [QuotaModule, CallLogModule],
  controllers: [AdminController, AdminClientsController],
  providers: [AdminKeyGuard, AdminService],
  exports: [AdminService],
})
export class AdminModule {}

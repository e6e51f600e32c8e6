import { DynamicModule, Module } from '@nestjs/common';
import { AdminService } from '../admin/admin.service.js';
import { ApiCallLogRepository } from '../call-log/api-call-log.repository.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { LoggingModule } from '../logging/logging.module.js';
import { OAuthRegistryModule } from '../oauth-provider/oauth-registry.module.js';
import { ApiCallCountRepository } from '../quota/api-call-count.repository.js';
import { QuotaService } from '../quota/quota.service.js';

/**
 * The services the admin API uses, without the HTTP server and without the
 * provider's start-up seeding (which prints the demo secret to stdout and
 * would spoil `--json` output). Log lines go to stderr.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({ stream: process.stderr }),
        DatabaseModule,
        OAuthRegistryModule,
      ],
      providers: [ApiCallCountRepository, QuotaService, ApiCallLogRepository, AdminService],
    };
  }
}

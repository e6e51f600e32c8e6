import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminService } from '../admin/admin.service.js';
import { ApiCallLogRepository } from '../call-log/api-call-log.repository.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { LoggingModule } from '../logging/logging.module.js';
import { OAuthClientLimits } from '../oauth-provider/client-limits.service.js';
import { OAuthClientEntity } from '../oauth-provider/oauth-client.entity.js';
import { OAuthClientsRepository } from '../oauth-provider/oauth-clients.repository.js';
import { OAuthClientsService } from '../oauth-provider/oauth-clients.service.js';
import { OAuthGrantsRepository } from '../oauth-provider/oauth-grants.repository.js';
import { OAuthUserEntity } from '../oauth-provider/oauth-user.entity.js';
import { OAuthUsersRepository } from '../oauth-provider/oauth-users.repository.js';
import { OAuthUsersService } from '../oauth-provider/oauth-users.service.js';
import { ApiCallCountRepository } from '../quota/api-call-count.repository.js';
import { ClientLimitSource } from '../quota/client-limit.source.js';
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
        TypeOrmModule.forFeature([OAuthClientEntity, OAuthUserEntity]),
      ],
      providers: [
        OAuthClientsRepository,
        OAuthUsersRepository,
        OAuthGrantsRepository,
        OAuthClientsService,
        OAuthUsersService,
        OAuthClientLimits,
        { provide: ClientLimitSource, useExisting: OAuthClientLimits },
        ApiCallCountRepository,
        QuotaService,
        ApiCallLogRepository,
        AdminService,
      ],
    };
  }
}

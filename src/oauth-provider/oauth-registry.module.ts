import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientLimitSource } from '../quota/client-limit.source.js';
import { OAuthClientLimits } from './client-limits.service.js';
import { OAuthClientEntity } from './oauth-client.entity.js';
import { OAuthClientsRepository } from './oauth-clients.repository.js';
import { OAuthClientsService } from './oauth-clients.service.js';
import { OAuthGrantsRepository } from './oauth-grants.repository.js';
import { OAuthUserEntity } from './oauth-user.entity.js';
import { OAuthUsersRepository } from './oauth-users.repository.js';
import { OAuthUsersService } from './oauth-users.service.js';

/**
 * The client and user registry, without the protocol endpoints: what the
 * provider, the admin API and the CLI share. Global so that QuotaModule,
 * wherever it is imported, finds the ClientLimitSource it asks for (optionally).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OAuthClientEntity, OAuthUserEntity])],
  providers: [
    OAuthClientsRepository,
    OAuthUsersRepository,
    OAuthGrantsRepository,
    OAuthClientsService,
    OAuthUsersService,
    OAuthClientLimits,
    { provide: ClientLimitSource, useExisting: OAuthClientLimits },
  ],
  exports: [ClientLimitSource, OAuthClientsService, OAuthUsersService, OAuthClientsRepository, OAuthUsersRepository, OAuthGrantsRepository],
})
export class OAuthRegistryModule {}

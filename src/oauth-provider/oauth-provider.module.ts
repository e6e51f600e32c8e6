import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientLimitSource } from '../quota/client-limit.source.js';
import { AuthorizeController } from './authorize.controller.js';
import { OAuthClientLimits } from './client-limits.service.js';
import { OAuthClock } from './clock.js';
import { OAuthAuthorizationCodeEntity } from './oauth-authorization-code.entity.js';
import { OAuthClientEntity } from './oauth-client.entity.js';
import { OAuthClientsRepository } from './oauth-clients.repository.js';
import { OAuthClientsService } from './oauth-clients.service.js';
import { OAuthGrantsRepository } from './oauth-grants.repository.js';
import { OAuthHousekeeping } from './oauth-housekeeping.js';
import { OAuthProviderService } from './oauth-provider.service.js';
import { OAuthSeeder } from './oauth-seeder.js';
import { OAuthTokenEntity } from './oauth-token.entity.js';
import { OAuthUserEntity } from './oauth-user.entity.js';
import { OAuthUsersRepository } from './oauth-users.repository.js';
import { OAuthUsersService } from './oauth-users.service.js';
import { OAuth2Controller } from './oauth2.controller.js';
import { OAuth2Model } from './oauth2.model.js';
import { SetupOutput } from './setup-output.js';
import { SignInThrottle } from './sign-in-throttle.js';

/**
 * The built-in OAuth 2.0 authorization server. Global so that QuotaModule,
 * wherever it is imported, finds the ClientLimitSource it asks for
 * (optionally), and so that admin tooling can inject OAuthClientsService.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OAuthClientEntity, OAuthUserEntity, OAuthAuthorizationCodeEntity, OAuthTokenEntity])],
  controllers: [AuthorizeController, OAuth2Controller],
  providers: [
    OAuthClock,
    OAuthClientsRepository,
    OAuthUsersRepository,
    OAuthGrantsRepository,
    OAuthClientsService,
    OAuthUsersService,
    OAuthClientLimits,
    { provide: ClientLimitSource, useExisting: OAuthClientLimits },
    SignInThrottle,
    OAuth2Model,
    OAuthProviderService,
    SetupOutput,
    OAuthSeeder,
    OAuthHousekeeping,
  ],
  exports: [ClientLimitSource, OAuthClientsService, OAuthUsersService],
})
export class OAuthProviderModule {}

import { Module } from '@nestjs/common';
import { AuthorizeController } from './authorize.controller.js';
import { OAuthClock } from './clock.js';
import { OAuthHousekeeping } from './oauth-housekeeping.js';
import { OAuthProviderService } from './oauth-provider.service.js';
import { OAuthRegistryModule } from './oauth-registry.module.js';
import { OAuthSeeder } from './oauth-seeder.js';
import { OAuth2Controller } from './oauth2.controller.js';
import { OAuth2Model } from './oauth2.model.js';
import { SetupOutput } from './setup-output.js';
import { SignInThrottle } from './sign-in-throttle.js';

/** The built-in OAuth 2.0 authorization server: the protocol endpoints over the shared registry. */
@Module({
  imports: [OAuthRegistryModule],
  controllers: [AuthorizeController, OAuth2Controller],
  providers: [
    OAuthClock,
    SignInThrottle,
    OAuth2Model,
    OAuthProviderService,
    SetupOutput,
    OAuthSeeder,
    OAuthHousekeeping,
  ],
})
export class OAuthProviderModule {}

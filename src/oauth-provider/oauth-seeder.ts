import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, ConfigError } from '../config/app-config.js';
import { InvalidOAuthClientError, OAuthClientExistsError, OAuthClientsService } from './oauth-clients.service.js';
import { OAuthUserExistsError, OAuthUsersService } from './oauth-users.service.js';
import { randomSecret } from './secrets.js';
import { SetupOutput } from './setup-output.js';

interface Generated {
  clientSecret?: string;
  password?: string;
}

/**
 * Makes sure the configured client (the GPT) and demo user exist on every
 * start: created when missing, brought in line when the configuration
 * changed. A secret or password that is not configured is generated, and
 * printed once, by the start that created it, with what to paste into the
 * GPT editor. Later starts print nothing secret.
 */
@Injectable()
export class OAuthSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('OAuthProvider');

  constructor(
    private readonly config: AppConfig,
    private readonly clients: OAuthClientsService,
    private readonly users: OAuthUsersService,
    private readonly output: SetupOutput,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const generated: Generated = {
      clientSecret: await this.seedClient(),
      password: await this.seedUser(),
    };
    if (generated.clientSecret !== undefined || generated.password !== undefined) {
      this.output.print(this.notice(generated));
    }
    const base = this.config.publicUrl;
    this.logger.log(
      `OAuth client "${this.config.oauthClientId}" ready: authorization URL ${base}/api/oauth2/authorize, token URL ${base}/api/oauth2/token`,
    );
  }

  /** Returns the secret when this start generated it. */
  private async seedClient(): Promise<string | undefined> {
    const { oauthClientId: clientId, oauthClientSecret: configured, oauthRedirectUris: redirectUris } = this.config;
    try {
      const existing = await this.clients.get(clientId);
      if (!existing) {
        const secret = configured ?? randomSecret();
        try {
          await this.clients.create({ clientId, name: 'GPT Action', redirectUris, clientSecret: secret });
          this.logger.log(`Created OAuth client "${clientId}"`);
          return configured === undefined ? secret : undefined;
        } catch (error) {
          // Another instance created it at the same moment: it prints, this one does not.
          if (!(error instanceof OAuthClientExistsError)) throw error;
          return undefined;
        }
      }
      if (!sameList(existing.redirectUris, redirectUris)) {
        await this.clients.update(clientId, { redirectUris });
        this.logger.log(`Updated the redirect URIs of OAuth client "${clientId}" from OAUTH_REDIRECT_URIS`);
      }
      if (configured !== undefined && !(await this.clients.hasSecret(clientId, configured))) {
        await this.clients.rotateSecret(clientId, configured);
        this.logger.log(`Updated the secret of OAuth client "${clientId}" from OAUTH_CLIENT_SECRET`);
      }
      return undefined;
    } catch (error) {
      if (error instanceof InvalidOAuthClientError) {
        const variable = error.field === 'redirectUris' ? 'OAUTH_REDIRECT_URIS' : error.field === 'clientSecret' ? 'OAUTH_CLIENT_SECRET' : 'OAUTH_CLIENT_ID';
        throw new ConfigError(variable, error.message.replace(/^\w+: /, ''));
      }
      throw error;
    }
  }

  /** Returns the password when this start generated it. */
  private async seedUser(): Promise<string | undefined> {
    const { demoUserEmail: email, demoUserPassword: configured } = this.config;
    const existing = await this.users.findByEmail(email);
    if (!existing) {
      const password = configured ?? randomSecret(12);
      try {
        await this.users.create({ email, password, name: 'Demo User' });
        this.logger.log(`Created demo user ${email}`);
        return configured === undefined ? password : undefined;
      } catch (error) {
        if (!(error instanceof OAuthUserExistsError)) throw error;
        return undefined;
      }
    }
    if (configured !== undefined && !(await this.users.hasPassword(existing.id, configured))) {
      await this.users.setPassword(existing.id, configured);
      this.logger.log(`Updated the password of demo user ${email} from DEMO_USER_PASSWORD`);
    }
    return undefined;
  }

  private notice(generated: Generated): string {
    const base = this.config.publicUrl;
    const secretLine =
      generated.clientSecret ?? '(the value of OAUTH_CLIENT_SECRET)';
    const passwordLine = generated.password ?? '(the value of DEMO_USER_PASSWORD)';
    return [
      '',
      '================ GPT Action: OAuth settings (shown once) ================',
      'Generated on this first start and never shown again: store them now.',
      'In the GPT editor, Actions > Authentication > OAuth:',
      `  Client ID:              ${this.config.oauthClientId}`,
      `  Client Secret:          ${secretLine}`,
      `  Authorization URL:      ${base}/api/oauth2/authorize`,
      `  Token URL:              ${base}/api/oauth2/token`,
      '  Scope:                  (leave empty; any value is accepted)',
      '  Token Exchange Method:  Default (POST request) or Basic authorization header',
      'Sign in on the authorization page as the demo user:',
      `  Email:                  ${this.config.demoUserEmail}`,
      `  Password:               ${passwordLine}`,
      `Allowed callback URLs:    ${this.config.oauthRedirectUris.join(', ')}`,
      '==========================================================================',
      '',
    ].join('\n');
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

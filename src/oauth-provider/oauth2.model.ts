import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import { AppConfig } from '../config/app-config.js';
import { OAuthClock } from './clock.js';
import { OAuthAuthorizationCodeEntity } from './oauth-authorization-code.entity.js';
import { OAuthClientsService, type OAuthClientView } from './oauth-clients.service.js';
import { OAuthGrantsRepository } from './oauth-grants.repository.js';
import { OAuthTokenEntity } from './oauth-token.entity.js';
import { OAuthUsersService } from './oauth-users.service.js';
import { randomSecret, sha256Hex } from './secrets.js';

const { InvalidGrantError } = OAuth2Server;

/** What travels through the library as "the user": the user id, and the grant (token family) it acts under. */
export interface GrantUser {
  id: string;
  familyId: string;
}

export interface ProviderClient extends OAuth2Server.Client {
  id: string;
  redirectUris: string[];
  grants: string[];
}

export const GRANTS = ['authorization_code', 'refresh_token'];

/**
 * The @node-oauth/oauth2-server model, backed by TypeORM. Only hashes are
 * stored; the clear codes and tokens exist in the library's response alone.
 * Expiry is judged by the injectable OAuthClock (the library also checks
 * against the wall clock, which can only be stricter).
 */
@Injectable()
export class OAuth2Model implements OAuth2Server.AuthorizationCodeModel, OAuth2Server.RefreshTokenModel {
  private readonly logger = new Logger('OAuthProvider');
  private readonly alwaysAllowedRedirects: string[];

  constructor(
    config: AppConfig,
    private readonly clients: OAuthClientsService,
    private readonly users: OAuthUsersService,
    private readonly grants: OAuthGrantsRepository,
    private readonly clock: OAuthClock,
  ) {
    this.alwaysAllowedRedirects = [`${config.publicUrl}/docs/oauth2-redirect.html`];
  }

  /**
   * The authorize handler asks with a null secret: there the user, not the
   * client, authenticates. The token handler passes what the client sent;
   * every client here is confidential, so no secret means no client (PKCE
   * adds to client authentication, it does not replace it).
   */
  async getClient(clientId: string, clientSecret: string | null | undefined): Promise<ProviderClient | null> {
    if (clientSecret === null) {
      const client = await this.clients.get(clientId);
      return client ? toProviderClient(client) : null;
    }
    if (!clientSecret) return null;
    const client = await this.clients.authenticateRequest(clientId, clientSecret);
    return client ? toProviderClient(client) : null;
  }

  async validateRedirectUri(redirectUri: string, client: OAuth2Server.Client): Promise<boolean> {
    const registered = await this.clients.get(client.id);
    return registered !== null && this.clients.isRedirectAllowed(registered, redirectUri, this.alwaysAllowedRedirects);
  }

  redirectAllowed(client: OAuthClientView, redirectUri: string): boolean {
    return this.clients.isRedirectAllowed(client, redirectUri, this.alwaysAllowedRedirects);
  }

  async generateAuthorizationCode(): Promise<string> {
    return randomSecret();
  }

  async generateAccessToken(): Promise<string> {
    return randomSecret();
  }

  async generateRefreshToken(): Promise<string> {
    return randomSecret();
  }

  async saveAuthorizationCode(
    code: Pick<OAuth2Server.AuthorizationCode, 'authorizationCode' | 'expiresAt' | 'redirectUri' | 'scope' | 'codeChallenge' | 'codeChallengeMethod'>,
    client: OAuth2Server.Client,
    user: OAuth2Server.User,
  ): Promise<OAuth2Server.AuthorizationCode> {
    const familyId = randomUUID();
    await this.grants.insertCode(
      Object.assign(new OAuthAuthorizationCodeEntity(), {
        codeHash: sha256Hex(code.authorizationCode),
        clientId: client.id,
        userId: user.id as string,
        familyId,
        redirectUri: code.redirectUri,
        scope: joinScope(code.scope),
        codeChallenge: code.codeChallenge ?? null,
        codeChallengeMethod: code.codeChallenge ? (code.codeChallengeMethod ?? 'S256') : null,
        expiresAt: code.expiresAt,
        usedAt: null,
      }),
    );
    return { ...code, client, user: { id: user.id, familyId } };
  }

  async getAuthorizationCode(authorizationCode: string): Promise<OAuth2Server.AuthorizationCode | null> {
    const row = await this.grants.findCode(sha256Hex(authorizationCode));
    if (!row) return null;
    if (row.usedAt) {
      // RFC 6749 4.1.2: a code used twice may be stolen; the tokens it bought are revoked.
      const revoked = await this.grants.revokeFamily(row.familyId, this.clock.now());
      this.logger.warn(`Authorization code reused for client ${row.clientId}: revoked ${revoked} token(s) of that grant`);
      return null;
    }
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new InvalidGrantError('Invalid grant: authorization code has expired');
    }
    return {
      authorizationCode,
      expiresAt: row.expiresAt,
      redirectUri: row.redirectUri,
      scope: splitScope(row.scope),
      client: { id: row.clientId, grants: GRANTS },
      user: { id: row.userId, familyId: row.familyId } satisfies GrantUser,
      ...(row.codeChallenge && { codeChallenge: row.codeChallenge, codeChallengeMethod: row.codeChallengeMethod ?? 'S256' }),
    };
  }

  async revokeAuthorizationCode(code: OAuth2Server.AuthorizationCode): Promise<boolean> {
    return this.grants.useCode(sha256Hex(code.authorizationCode), this.clock.now());
  }

  async saveToken(token: OAuth2Server.Token, client: OAuth2Server.Client, user: OAuth2Server.User): Promise<OAuth2Server.Token> {
    const grantUser = user as GrantUser;
    await this.grants.insertToken(
      Object.assign(new OAuthTokenEntity(), {
        id: randomUUID(),
        familyId: grantUser.familyId,
        clientId: client.id,
        userId: grantUser.id,
        scope: joinScope(token.scope),
        accessTokenHash: sha256Hex(token.accessToken),
        accessTokenExpiresAt: token.accessTokenExpiresAt,
        refreshTokenHash: token.refreshToken ? sha256Hex(token.refreshToken) : null,
        refreshTokenExpiresAt: token.refreshTokenExpiresAt ?? null,
        rotatedAt: null,
        revokedAt: null,
      }),
    );
    return { ...token, client, user };
  }

  async getAccessToken(accessToken: string): Promise<OAuth2Server.Token | null> {
    const row = await this.grants.findByAccessHash(sha256Hex(accessToken));
    if (!row || row.revokedAt || row.accessTokenExpiresAt.getTime() <= this.clock.now().getTime()) return null;
    return {
      accessToken,
      accessTokenExpiresAt: row.accessTokenExpiresAt,
      scope: splitScope(row.scope),
      client: { id: row.clientId, grants: GRANTS },
      user: { id: row.userId, familyId: row.familyId } satisfies GrantUser,
    };
  }

  async getRefreshToken(refreshToken: string): Promise<OAuth2Server.RefreshToken | null> {
    const row = await this.grants.findByRefreshHash(sha256Hex(refreshToken));
    if (!row || row.revokedAt) return null;
    if (row.rotatedAt) {
      // A spent refresh token came back: either the client or a thief holds a
      // copy. Which one cannot be told, so the whole grant ends (OAuth 2.0 BCP).
      const revoked = await this.grants.revokeFamily(row.familyId, this.clock.now());
      this.logger.warn(`Refresh token reused for client ${row.clientId}: revoked ${revoked} token(s) of that grant`);
      return null;
    }
    if (row.refreshTokenExpiresAt && row.refreshTokenExpiresAt.getTime() <= this.clock.now().getTime()) {
      throw new InvalidGrantError('Invalid grant: refresh token has expired');
    }
    return {
      refreshToken,
      refreshTokenExpiresAt: row.refreshTokenExpiresAt ?? undefined,
      scope: splitScope(row.scope),
      client: { id: row.clientId, grants: GRANTS },
      user: { id: row.userId, familyId: row.familyId, tokenId: row.id },
    };
  }

  /** Spends the refresh token being exchanged (rotation); false if a concurrent refresh spent it first. */
  async revokeToken(token: OAuth2Server.RefreshToken | OAuth2Server.Token): Promise<boolean> {
    const tokenId = (token.user as { tokenId?: string }).tokenId;
    if (!tokenId) return false;
    return this.grants.rotateRefresh(tokenId, this.clock.now());
  }

  /** RFC 7009: revokes the grant the token belongs to, if it is this client's. */
  async revokeByToken(token: string, clientId: string, hint?: string): Promise<void> {
    const hash = sha256Hex(token);
    const lookups =
      hint === 'refresh_token'
        ? [() => this.grants.findByRefreshHash(hash), () => this.grants.findByAccessHash(hash)]
        : [() => this.grants.findByAccessHash(hash), () => this.grants.findByRefreshHash(hash)];
    for (const lookup of lookups) {
      const row = await lookup();
      if (!row) continue;
      if (row.clientId === clientId) await this.grants.revokeFamily(row.familyId, this.clock.now());
      return;
    }
  }

  /** The live token's user, for the userinfo endpoint. */
  async userForAccessToken(token: OAuth2Server.Token): Promise<{ id: string; email: string; name: string } | null> {
    return this.users.findById((token.user as GrantUser).id);
  }
}

function toProviderClient(client: OAuthClientView): ProviderClient {
  return { id: client.clientId, redirectUris: client.redirectUris, grants: GRANTS };
}

function joinScope(scope: string[] | string | undefined): string | null {
  if (scope === undefined) return null;
  const joined = Array.isArray(scope) ? scope.join(' ') : scope;
  return joined === '' ? null : joined;
}

function splitScope(scope: string | null): string[] | undefined {
  return scope ? scope.split(' ') : undefined;
}

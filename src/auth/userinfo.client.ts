import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { AppConfig } from '../config/app-config.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { TokenRejectedError, UserinfoUnavailableError } from './userinfo.errors.js';

/** Asks the identity provider's userinfo endpoint who a bearer token belongs to. */
@Injectable()
export class UserinfoClient {
  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfig,
  ) {}

  async fetchUser(token: string): Promise<AuthenticatedUser> {
    let response;
    try {
      response = await firstValueFrom(
        this.http.get<unknown>(this.config.oauthUserinfoUrl, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
          timeout: this.config.userinfoTimeoutMs,
          // The timeout above starts once connected; this one also covers a hung connect.
          signal: AbortSignal.timeout(this.config.userinfoTimeoutMs),
          validateStatus: () => true,
          maxRedirects: 0,
        }),
      );
    } catch (error) {
      // Only the error code: axios errors carry the request config, token included.
      const code = (error as { code?: string }).code ?? (error as Error).name;
      throw new UserinfoUnavailableError(`userinfo request failed (${code})`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new TokenRejectedError(`userinfo answered ${response.status}`);
    }
    return this.toUser(response.data);
  }

  private toUser(data: unknown): AuthenticatedUser {
    if (data === null || typeof data !== 'object') {
      throw new TokenRejectedError('userinfo answered without a JSON object');
    }
    const claims = data as Record<string, unknown>;
    const userId = idField(claims, this.config.userinfoUserField);
    const clientId = idField(claims, this.config.userinfoClientField);
    return {
      userId,
      clientId,
      ...(typeof claims.email === 'string' && { email: claims.email }),
      ...(typeof claims.name === 'string' && { name: claims.name }),
    };
  }
}

function idField(claims: Record<string, unknown>, field: string): string {
  const value = claims[field];
  if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
  throw new TokenRejectedError(`userinfo has no "${field}" field`);
}

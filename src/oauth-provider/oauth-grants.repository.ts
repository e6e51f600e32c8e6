import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan, Repository } from 'typeorm';
import { OAuthAuthorizationCodeEntity } from './oauth-authorization-code.entity.js';
import { OAuthTokenEntity } from './oauth-token.entity.js';

/**
 * Authorization codes and tokens. Every state change that must happen once
 * (using a code, rotating a refresh token) is one conditional UPDATE, so two
 * concurrent requests with the same code or refresh token cannot both win,
 * in one process or across instances sharing the database.
 */
@Injectable()
export class OAuthGrantsRepository {
  private readonly codes: Repository<OAuthAuthorizationCodeEntity>;
  private readonly tokens: Repository<OAuthTokenEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.codes = dataSource.getRepository(OAuthAuthorizationCodeEntity);
    this.tokens = dataSource.getRepository(OAuthTokenEntity);
  }

  async insertCode(code: OAuthAuthorizationCodeEntity): Promise<void> {
    await this.codes.insert(code);
  }

  findCode(codeHash: string): Promise<OAuthAuthorizationCodeEntity | null> {
    return this.codes.findOneBy({ codeHash });
  }

  /** Marks the code used; false when it already was (or does not exist). */
  async useCode(codeHash: string, at: Date): Promise<boolean> {
    const result = await this.codes.update({ codeHash, usedAt: IsNull() }, { usedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** Codes are worthless once expired; the rows only help spot a replay until then. */
  async deleteCodesExpiredBefore(at: Date): Promise<void> {
    await this.codes.delete({ expiresAt: LessThan(at) });
  }

  async insertToken(token: OAuthTokenEntity): Promise<void> {
    await this.tokens.insert(token);
  }

  findByAccessHash(accessTokenHash: string): Promise<OAuthTokenEntity | null> {
    return this.tokens.findOneBy({ accessTokenHash });
  }

  findByRefreshHash(refreshTokenHash: string): Promise<OAuthTokenEntity | null> {
    return this.tokens.findOneBy({ refreshTokenHash });
  }

  /** Spends a refresh token; false when it was already spent or revoked (a concurrent refresh won). */
  async rotateRefresh(id: string, at: Date): Promise<boolean> {
    const result = await this.tokens.update({ id, rotatedAt: IsNull(), revokedAt: IsNull() }, { rotatedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every token of one grant; returns how many were still live. */
  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const result = await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: at });
    return result.affected ?? 0;
  }

  async deleteForClient(clientId: string): Promise<void> {
    await this.tokens.delete({ clientId });
    await this.codes.delete({ clientId });
  }

  /** Tokens whose refresh token has expired can never be used again. */
  async deleteTokensExpiredBefore(at: Date): Promise<void> {
    await this.tokens
      .createQueryBuilder()
      .delete()
      .where('access_token_expires_at < :at', { at })
      .andWhere('(refresh_token_expires_at IS NULL OR refresh_token_expires_at < :at)', { at })
      .execute();
  }
}

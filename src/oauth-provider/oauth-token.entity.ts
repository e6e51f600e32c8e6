import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One issued access token and its refresh token, both kept as SHA-256
 * hashes. Tokens born of one authorization share a `familyId`: a refresh
 * rotates within the family, and a replayed (already rotated) refresh token
 * revokes the whole family.
 */
@Entity('oauth_tokens')
@Index('IDX_oauth_tokens_access', ['accessTokenHash'], { unique: true })
@Index('IDX_oauth_tokens_refresh', ['refreshTokenHash'], { unique: true })
@Index('IDX_oauth_tokens_family', ['familyId'])
@Index('IDX_oauth_tokens_client', ['clientId'])
export class OAuthTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'family_id', type: 'varchar', length: 36 })
  familyId: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  scope: string | null;

  @Column({ name: 'access_token_hash', type: 'varchar', length: 64 })
  accessTokenHash: string;

  @Column({ name: 'access_token_expires_at', type: Date })
  accessTokenExpiresAt: Date;

  @Column({ name: 'refresh_token_hash', type: 'varchar', length: 64, nullable: true })
  refreshTokenHash: string | null;

  @Column({ name: 'refresh_token_expires_at', type: Date, nullable: true })
  refreshTokenExpiresAt: Date | null;

  /** Set when the refresh token was exchanged for a new pair; presenting it again is a replay. */
  @Column({ name: 'rotated_at', type: Date, nullable: true })
  rotatedAt: Date | null;

  /** Set by revocation (RFC 7009, replay detection, client deletion): both tokens are dead. */
  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A registered OAuth client (a GPT). The secret is kept only as a SHA-256 hash. */
@Entity('oauth_clients')
export class OAuthClientEntity {
  /** The public `client_id`. */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  name: string;

  /** Hex SHA-256 of the client secret. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash: string;

  /** JSON array of redirect URI patterns (`*` = one path segment). */
  @Column({ name: 'redirect_uris', type: 'text' })
  redirectUris: string;

  /** The client's own API call limit; null defers to the configuration. */
  @Column({ name: 'api_call_limit', type: 'integer', nullable: true })
  apiCallLimit: number | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Someone who signs in on the authorize page. */
@Entity('oauth_users')
@Index('IDX_oauth_users_email', ['email'], { unique: true })
export class OAuthUserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Stored lower-cased, so sign-in is case-insensitive on the email. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200, default: '' })
  name: string;

  /** `scrypt$N$r$p$salt$hash` (base64url parts). */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}

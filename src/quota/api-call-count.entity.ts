import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One counter per (user, client): the calls that succeeded, charged atomically. */
@Entity('api_call_counts')
export class ApiCallCountEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ type: 'integer', default: 0 })
  count: number;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}

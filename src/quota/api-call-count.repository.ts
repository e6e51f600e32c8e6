import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlDialect } from '../database/sql-dialect.js';
import { ApiCallCountEntity } from './api-call-count.entity.js';

export interface CallCountFilter {
  clientId?: string;
  userId?: string;
}

@Injectable()
export class ApiCallCountRepository {
  private readonly reserveSql: string;
  private readonly releaseSql: string;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    const sql = new SqlDialect(dataSource);
    const [user, client, limit] = [sql.param(1), sql.param(2), sql.param(3)];
    // One statement: the check and the charge cannot be separated by another
    // request, in this process or in another instance on the same database.
    this.reserveSql =
      `INSERT INTO api_call_counts (user_id, client_id, count, updated_at) VALUES (${user}, ${client}, 1, ${sql.now}) ` +
      `ON CONFLICT (user_id, client_id) DO UPDATE SET count = api_call_counts.count + 1, updated_at = ${sql.now} ` +
      `WHERE api_call_counts.count < ${limit} RETURNING count`;
    this.releaseSql =
      `UPDATE api_call_counts SET count = count - 1, updated_at = ${sql.now} ` +
      `WHERE user_id = ${user} AND client_id = ${client} AND count > 0 RETURNING count`;
  }

  /** The count after the charge, or null when the count had already reached `limit` (>= 1). */
  async reserve(userId: string, clientId: string, limit: number): Promise<number | null> {
    const rows = await this.returning(this.reserveSql, [userId, clientId, limit]);
    return rows.length === 0 ? null : Number(rows[0].count);
  }

  /** Gives one reserved call back; returns the count after. */
  async release(userId: string, clientId: string): Promise<number> {
    const rows = await this.returning(this.releaseSql, [userId, clientId]);
    return rows.length === 0 ? 0 : Number(rows[0].count);
  }

  /**
   * The rows of a `... RETURNING count` statement. Read from the structured
   * result: on PostgreSQL, DataSource.query() answers an UPDATE with
   * `[rows, rowCount]` rather than the rows, which made a release read NaN.
   */
  private async returning(sql: string, params: unknown[]): Promise<Array<{ count: number | string }>> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, params, true);
      return result.records as Array<{ count: number | string }>;
    } finally {
      await runner.release();
    }
  }

  async count(userId: string, clientId: string): Promise<number> {
    const row = await this.dataSource.getRepository(ApiCallCountEntity).findOneBy({ userId, clientId });
    return row?.count ?? 0;
  }

  async list(filter: CallCountFilter): Promise<ApiCallCountEntity[]> {
    return this.dataSource.getRepository(ApiCallCountEntity).find({
      where: { ...(filter.clientId && { clientId: filter.clientId }), ...(filter.userId && { userId: filter.userId }) },
      order: { clientId: 'ASC', userId: 'ASC' },
    });
  }

  /** Per client: how many users have a counter, and their calls added up. */
  async totalsByClient(filter: CallCountFilter): Promise<Array<{ clientId: string; users: number; count: number }>> {
    const rows: Array<{ clientId: string; users: string | number; count: string | number | null }> = await this.totals(filter)
      .select('c.clientId', 'clientId')
      .addSelect('COUNT(*)', 'users')
      .addSelect('SUM(c.count)', 'count')
      .groupBy('c.clientId')
      .orderBy('c.clientId', 'ASC')
      .getRawMany();
    return rows.map((row) => ({ clientId: row.clientId, users: Number(row.users), count: Number(row.count ?? 0) }));
  }

  /** Per user: with how many clients they have a counter, and their calls added up. */
  async totalsByUser(filter: CallCountFilter): Promise<Array<{ userId: string; clients: number; count: number }>> {
    const rows: Array<{ userId: string; clients: string | number; count: string | number | null }> = await this.totals(filter)
      .select('c.userId', 'userId')
      .addSelect('COUNT(*)', 'clients')
      .addSelect('SUM(c.count)', 'count')
      .groupBy('c.userId')
      .orderBy('c.userId', 'ASC')
      .getRawMany();
    return rows.map((row) => ({ userId: row.userId, clients: Number(row.clients), count: Number(row.count ?? 0) }));
  }

  private totals(filter: CallCountFilter) {
    const query = this.dataSource.getRepository(ApiCallCountEntity).createQueryBuilder('c');
    if (filter.clientId) query.andWhere('c.clientId = :clientId', { clientId: filter.clientId });
    if (filter.userId) query.andWhere('c.userId = :userId', { userId: filter.userId });
    return query;
  }

  async reset(userId: string, clientId: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(ApiCallCountEntity).delete({ userId, clientId });
    return (result.affected ?? 0) > 0;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, FindOptionsWhere, LessThan, LessThanOrEqual, MoreThan, MoreThanOrEqual } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { SqlDialect } from '../database/sql-dialect.js';
import { ApiCallLogEntity } from './api-call-log.entity.js';

export type NewCallLog = Omit<ApiCallLogEntity, 'id' | 'createdAt'> & { createdAt: Date };

/** Which rows: every field given must match. */
export interface CallLogMatch {
  clientId?: string;
  userId?: string;
  status?: number;
  from?: Date;
  to?: Date;
}

export interface CallLogFilter extends CallLogMatch {
  limit: number;
  offset: number;
}

/** SQLite allows 32766 bound values per statement; 12 columns a row. */
const MAX_ROWS_PER_INSERT = 1000;

@Injectable()
export class ApiCallLogRepository {
  /** The inserted columns (all but the generated id), read once from the entity metadata. */
  private readonly columns: ColumnMetadata[];
  private readonly dialect: SqlDialect;
  /** `INSERT ... VALUES (...), (...)` by row count: built once per size, not per group. */
  private readonly insertSql = new Map<number, string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.columns = dataSource.getMetadata(ApiCallLogEntity).columns.filter((column) => !column.isGenerated);
    this.dialect = new SqlDialect(dataSource);
  }

  /**
   * Stores many rows with one statement per 1000 rows: one commit for a whole
   * group of requests. Plain SQL rather than the query builder, whose
   * per-call parsing and escaping cost more than the insert on the hot path.
   */
  async insertMany(rows: NewCallLog[]): Promise<void> {
    if (rows.length === 0) return;
    const insert = async (manager: DataSource['manager']) => {
      for (let start = 0; start < rows.length; start += MAX_ROWS_PER_INSERT) {
        const chunk = rows.slice(start, start + MAX_ROWS_PER_INSERT);
        await manager.query(this.sqlFor(chunk.length), this.parameters(chunk));
      }
    };
    if (rows.length <= MAX_ROWS_PER_INSERT) await insert(this.dataSource.manager);
    else await this.dataSource.transaction(insert);
  }

  private sqlFor(count: number): string {
    let sql = this.insertSql.get(count);
    if (sql === undefined) {
      const width = this.columns.length;
      const tuples = Array.from(
        { length: count },
        (_, row) => `(${this.columns.map((_, column) => this.dialect.param(row * width + column + 1)).join(', ')})`,
      );
      const names = this.columns.map((column) => `"${column.databaseName}"`).join(', ');
      sql = `INSERT INTO "api_call_logs" (${names}) VALUES ${tuples.join(', ')}`;
      // Group sizes vary with load; keep the common small ones.
      if (count <= 64) this.insertSql.set(count, sql);
    }
    return sql;
  }

  private parameters(rows: NewCallLog[]): unknown[] {
    const driver = this.dataSource.driver;
    const values: unknown[] = [];
    for (const row of rows) {
      for (const column of this.columns) {
        // The driver's own conversion (a Date becomes SQLite's datetime text), as the query builder does.
        values.push(driver.preparePersistentValue(row[column.propertyName as keyof NewCallLog], column));
      }
    }
    return values;
  }

  async find(filter: CallLogFilter): Promise<{ items: ApiCallLogEntity[]; total: number }> {
    const [items, total] = await this.dataSource.getRepository(ApiCallLogEntity).findAndCount({
      where: matching(filter),
      order: { createdAt: 'DESC', id: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  /**
   * Up to `take` rows matching the filter with an id below `beforeId`, newest
   * first: a keyset page, which neither skips nor repeats rows while new ones
   * are being written (an export walks the whole log this way).
   */
  async findBefore(filter: CallLogMatch, beforeId: number | undefined, take: number) {
    return this.dataSource.getRepository(ApiCallLogEntity).find({
      where: { ...matching(filter), ...(beforeId !== undefined && { id: LessThan(beforeId) }) },
      order: { id: 'DESC' },
      take,
    });
  }

  /** Up to `take` rows matching the filter with an id above `afterId`, oldest first: what `logs --tail` prints next. */
  async findAfter(filter: CallLogMatch, afterId: number, take: number) {
    return this.dataSource.getRepository(ApiCallLogEntity).find({
      where: { ...matching(filter), id: MoreThan(afterId) },
      order: { id: 'ASC' },
      take,
    });
  }

  /**
   * Deletes at most `batchSize` of the oldest rows created before `cutoff`;
   * returns how many. Small batches keep each write lock short, so requests
   * logging their rows meanwhile are not held up by a large prune.
   */
  async deleteBatchOlderThan(cutoff: Date, batchSize: number): Promise<number> {
    const repository = this.dataSource.getRepository(ApiCallLogEntity);
    const rows: Array<{ id: number | string }> = await repository
      .createQueryBuilder('log')
      .select('log.id', 'id')
      .where('log.createdAt < :cutoff', { cutoff })
      .orderBy('log.id', 'ASC')
      .limit(batchSize)
      .getRawMany();
    if (rows.length === 0) return 0;
    const result = await repository.delete(rows.map((row) => Number(row.id)));
    return result.affected ?? rows.length;
  }

}

function matching(filter: CallLogMatch): FindOptionsWhere<ApiCallLogEntity> {
  return {
    ...(filter.clientId !== undefined && { clientId: filter.clientId }),
    ...(filter.userId !== undefined && { userId: filter.userId }),
    ...(filter.status !== undefined && { status: filter.status }),
    ...timeRange(filter.from, filter.to),
  };
}

function timeRange(from?: Date, to?: Date): FindOptionsWhere<ApiCallLogEntity> {
  if (from && to) return { createdAt: Between(from, to) };
  if (from) return { createdAt: MoreThanOrEqual(from) };
  if (to) return { createdAt: LessThanOrEqual(to) };
  return {};
}

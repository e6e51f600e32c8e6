import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, LessThan, Between, MoreThanOrEqual, LessThanOrEqual } from 'typeorm';
import { ApiCallLogEntity } from './api-call-log.entity.js';

export type NewCallLog = Omit<ApiCallLogEntity, 'id' | 'createdAt'> & { createdAt: Date };

export interface CallLogFilter {
  clientId?: string;
  userId?: string;
  status?: number;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** SQLite allows 32766 bound values per statement; 12 columns a row. */
const MAX_ROWS_PER_INSERT = 1000;

@Injectable()
export class ApiCallLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores many rows in one transaction: one commit for a whole group of requests. */
  async insertMany(rows: NewCallLog[]): Promise<void> {
    if (rows.length === 0) return;
    const insert = async (manager: DataSource['manager']) => {
      for (let start = 0; start < rows.length; start += MAX_ROWS_PER_INSERT) {
        await manager
          .createQueryBuilder()
          .insert()
          .into(ApiCallLogEntity)
          .values(rows.slice(start, start + MAX_ROWS_PER_INSERT))
          .updateEntity(false)
          .execute();
      }
    };
    if (rows.length <= MAX_ROWS_PER_INSERT) await insert(this.dataSource.manager);
    else await this.dataSource.transaction(insert);
  }

  async find(filter: CallLogFilter): Promise<{ items: ApiCallLogEntity[]; total: number }> {
    const where: FindOptionsWhere<ApiCallLogEntity> = {
      ...(filter.clientId !== undefined && { clientId: filter.clientId }),
      ...(filter.userId !== undefined && { userId: filter.userId }),
      ...(filter.status !== undefined && { status: filter.status }),
      ...timeRange(filter.from, filter.to),
    };
    const [items, total] = await this.dataSource.getRepository(ApiCallLogEntity).findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
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

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.dataSource.getRepository(ApiCallLogEntity).delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}

function timeRange(from?: Date, to?: Date): FindOptionsWhere<ApiCallLogEntity> {
  if (from && to) return { createdAt: Between(from, to) };
  if (from) return { createdAt: MoreThanOrEqual(from) };
  if (to) return { createdAt: LessThanOrEqual(to) };
  return {};
}

import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { ApiCallCountRepository, type CallCountFilter } from './api-call-count.repository.js';
import { ClientLimitSource } from './client-limit.source.js';

export type Reservation = { granted: true; count: number; limit: number } | { granted: false; count: number; limit: number };

@Injectable()
export class QuotaService {
  constructor(
    private readonly config: AppConfig,
    private readonly counts: ApiCallCountRepository,
    @Optional() private readonly clientLimits?: ClientLimitSource,
  ) {}

  /** Registry first, then API_USAGE_LIMITS_BY_CLIENT_ID, then DEFAULT_API_USAGE_LIMIT. */
  async limitFor(clientId: string): Promise<number> {
    const registered = await this.clientLimits?.limitFor(clientId);
    if (registered !== undefined) return registered;
    return this.config.apiUsageLimitsByClientId[clientId] ?? this.config.defaultApiUsageLimit;
  }

  /** Charges one call up front; a call that does not succeed must be given back with {@link release}. */
  async reserve(userId: string, clientId: string): Promise<Reservation> {
    const limit = await this.limitFor(clientId);
    const count = limit > 0 ? await this.counts.reserve(userId, clientId, limit) : null;
    if (count === null) {
      return { granted: false, count: await this.counts.count(userId, clientId), limit };
    }
    return { granted: true, count, limit };
  }

  release(userId: string, clientId: string): Promise<number> {
    return this.counts.release(userId, clientId);
  }

  /** Each counter with the limit that applies to it now. */
  async usage(filter: CallCountFilter): Promise<Array<{ clientId: string; userId: string; count: number; limit: number }>> {
    const rows = await this.counts.list(filter);
    return Promise.all(
      rows.map(async (row) => ({
        clientId: row.clientId,
        userId: row.userId,
        count: row.count,
        limit: await this.limitFor(row.clientId),
      })),
    );
  }
}

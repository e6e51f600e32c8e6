import { Injectable } from '@nestjs/common';
import { ApiCallLogRepository, type CallLogMatch } from '../call-log/api-call-log.repository.js';
import type { ApiCallLogEntity } from '../call-log/api-call-log.entity.js';
import { OAuthClientsService } from '../oauth-provider/oauth-clients.service.js';
import { OAuthUsersService } from '../oauth-provider/oauth-users.service.js';
import { ApiCallCountRepository, type CallCountFilter } from '../quota/api-call-count.repository.js';
import { QuotaService } from '../quota/quota.service.js';
import { csvLine } from './csv.js';

export interface ClientUsage {
  clientId: string;
  /** The registered client's name; null for a client the registry does not know (an external IdP's). */
  name: string | null;
  users: number;
  count: number;
  limit: number;
}

export interface UserUsage {
  userId: string;
  /** The built-in provider's account email; null for users of an external IdP. */
  email: string | null;
  clients: number;
  count: number;
}

export interface UsageTotals {
  clients: number;
  users: number;
  count: number;
}

export interface LogExportFilter extends CallLogMatch {
  /** At most this many rows, newest first. */
  limit: number;
}

export const LOG_CSV_COLUMNS = [
  'id',
  'createdAt',
  'requestId',
  'method',
  'path',
  'status',
  'durationMs',
  'userId',
  'clientId',
  'apiCallCount',
] as const satisfies ReadonlyArray<keyof ApiCallLogEntity>;

const EXPORT_PAGE = 500;

/** What the GPT owner asks of the admin API and the CLI: usage, resets, log exports. */
@Injectable()
export class AdminService {
  constructor(
    private readonly counts: ApiCallCountRepository,
    private readonly quota: QuotaService,
    private readonly logs: ApiCallLogRepository,
    private readonly clients: OAuthClientsService,
    private readonly users: OAuthUsersService,
  ) {}

  async usageByClient(filter: CallCountFilter): Promise<{ items: ClientUsage[]; totals: UsageTotals }> {
    const [rows, perUser] = await Promise.all([this.counts.totalsByClient(filter), this.counts.totalsByUser(filter)]);
    const items = await Promise.all(
      rows.map(async (row) => ({
        clientId: row.clientId,
        name: (await this.clients.get(row.clientId))?.name ?? null,
        users: row.users,
        count: row.count,
        limit: await this.quota.limitFor(row.clientId),
      })),
    );
    return { items, totals: totalsOf(rows.length, perUser.length, rows) };
  }

  async usageByUser(filter: CallCountFilter): Promise<{ items: UserUsage[]; totals: UsageTotals }> {
    const [rows, perClient] = await Promise.all([this.counts.totalsByUser(filter), this.counts.totalsByClient(filter)]);
    const items = await Promise.all(
      rows.map(async (row) => ({
        userId: row.userId,
        email: (await this.users.findById(row.userId))?.email ?? null,
        clients: row.clients,
        count: row.count,
      })),
    );
    return { items, totals: totalsOf(perClient.length, rows.length, rows) };
  }

  /** Sets one user's count for one client back to zero; returns the count it had, or null when there was none. */
  async resetUsage(clientId: string, userId: string): Promise<number | null> {
    const previous = (await this.counts.list({ clientId, userId }))[0]?.count;
    if (previous === undefined) return null;
    await this.counts.reset(userId, clientId);
    return previous;
  }

  /** The header line, then the matching rows newest first, a page at a time. */
  async *logsCsv(filter: LogExportFilter): AsyncGenerator<string> {
    yield csvLine(LOG_CSV_COLUMNS);
    let beforeId: number | undefined;
    let left = filter.limit;
    while (left > 0) {
      const page = await this.logs.findBefore(filter, beforeId, Math.min(EXPORT_PAGE, left));
      for (const row of page) yield csvLine(LOG_CSV_COLUMNS.map((column) => row[column]));
      if (page.length < EXPORT_PAGE) return;
      left -= page.length;
      beforeId = page[page.length - 1].id;
    }
  }
}

function totalsOf(clients: number, users: number, rows: Array<{ count: number }>): UsageTotals {
  return { clients, users, count: rows.reduce((sum, row) => sum + row.count, 0) };
}

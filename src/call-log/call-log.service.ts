import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { elapsedMs, type AppRequest } from '../common/request-context.js';
import { ApiCallLogRepository, type CallLogFilter, type NewCallLog } from './api-call-log.repository.js';
import { bodyForLog } from './redact.js';

interface Pending {
  row: NewCallLog;
  stored: () => void;
}

/**
 * Writes one row per protected request. Rows of concurrent requests are grouped
 * into one insert (one commit), and every response waits for the group that
 * holds its row: nothing is answered before its row is stored, and a burst of
 * requests costs one commit instead of one each.
 */
@Injectable()
export class CallLogService implements OnApplicationShutdown {
  private readonly logger = new Logger(CallLogService.name);
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly logs: ApiCallLogRepository) {}

  /** Records the response about to be sent for `request`; resolves once the row is stored. */
  record(request: AppRequest, status: number, responseBody: unknown): Promise<void> {
    const { context } = request;
    if (context.callLogged) return Promise.resolve();
    context.callLogged = true;
    const row: NewCallLog = {
      createdAt: new Date(),
      requestId: context.requestId,
      method: request.method,
      path: request.originalUrl.split('?')[0].slice(0, 2048),
      status,
      durationMs: elapsedMs(context),
      userId: context.user?.userId ?? null,
      clientId: context.user?.clientId ?? null,
      apiCallCount: context.apiCallCount ?? null,
      requestBody: bodyForLog(request.body),
      responseBody: bodyForLog(responseBody),
    };
    return new Promise<void>((stored) => {
      this.queue.push({ row, stored });
      this.flushing ??= this.flushSoon();
    });
  }

  find(filter: CallLogFilter) {
    return this.logs.find(filter);
  }

  /** Waits until every row handed in so far is stored. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private async flushSoon(): Promise<void> {
    // Let the requests already in this turn of the event loop join the group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      await this.store(group.map((pending) => pending.row));
      for (const pending of group) pending.stored();
    }
    this.flushing = null;
  }

  /**
   * One insert for the group. Should it fail, the rows go one by one, so that
   * one bad row (or a passing deadlock) does not take the others with it.
   */
  private async store(rows: NewCallLog[]): Promise<void> {
    try {
      await this.logs.insertMany(rows);
      return;
    } catch (error) {
      if (rows.length === 1) {
        this.logger.error(`Could not store a call log row: ${(error as Error).message}`);
        return;
      }
    }
    let lost = 0;
    let reason = '';
    for (const row of rows) {
      try {
        await this.logs.insertMany([row]);
      } catch (error) {
        lost++;
        reason = (error as Error).message;
      }
    }
    if (lost > 0) this.logger.error(`Could not store ${lost} of ${rows.length} call log row(s): ${reason}`);
  }
}

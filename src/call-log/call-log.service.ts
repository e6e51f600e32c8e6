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
      try {
        await this.logs.insertMany(group.map((pending) => pending.row));
      } catch (error) {
        this.logger.error(`Could not store ${group.length} call log row(s): ${(error as Error).message}`);
      }
      for (const pending of group) pending.stored();
    }
    this.flushing = null;
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { ApiCallLogRepository } from '../call-log/api-call-log.repository.js';
import { AppConfig } from '../config/app-config.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows deleted per statement; the event loop gets a turn between batches. */
export const PRUNE_BATCH_SIZE = 500;

/**
 * Keeps the call log to LOG_RETENTION_DAYS: every LOG_PRUNE_INTERVAL_SECONDS
 * (and once soon after start) rows older than that are deleted in small
 * batches, so neither the database lock nor the event loop is held long
 * enough to delay requests. Several instances pruning at once only repeat
 * each other's deletes.
 */
@Injectable()
export class LogRetention implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('LogRetention');
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly logs: ApiCallLogRepository,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => void this.prune().catch((error: Error) => this.logger.error(`Pruning failed: ${error.message}`));
    // unref: a pending prune never keeps a stopping process alive.
    this.timer = setInterval(tick, this.config.logPruneIntervalSeconds * 1000).unref();
    setTimeout(tick, Math.min(5000, this.config.logPruneIntervalSeconds * 1000)).unref();
  }

  /** Deletes every row older than the retention period; returns how many. One run at a time. */
  prune(now = new Date()): Promise<number> {
    this.running ??= this.pruneInBatches(new Date(now.getTime() - this.config.logRetentionDays * DAY_MS)).finally(
      () => (this.running = null),
    );
    return this.running;
  }

  onModuleDestroy(): void {
    this.stopping = true;
    clearInterval(this.timer);
  }

  /** A batch under way finishes before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async pruneInBatches(cutoff: Date): Promise<number> {
    let total = 0;
    while (!this.stopping) {
      const deleted = await this.logs.deleteBatchOlderThan(cutoff, PRUNE_BATCH_SIZE);
      total += deleted;
      if (deleted < PRUNE_BATCH_SIZE) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total > 0) {
      this.logger.log(`Pruned ${total} call log rows older than ${this.config.logRetentionDays} days (before ${cutoff.toISOString()})`);
    }
    return total;
  }
}

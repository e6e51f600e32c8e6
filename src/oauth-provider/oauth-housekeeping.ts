import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OAuthClock } from './clock.js';
import { OAuthGrantsRepository } from './oauth-grants.repository.js';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes codes and tokens that can never be used again (expired), at start
 * and then hourly, so the tables do not grow without bound. Spent refresh
 * tokens stay until they expire: until then a replay must still be recognised.
 */
@Injectable()
export class OAuthHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OAuthProvider');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly grants: OAuthGrantsRepository,
    private readonly clock: OAuthClock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.purge();
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<void> {
    try {
      const now = this.clock.now();
      await this.grants.deleteCodesExpiredBefore(now);
      await this.grants.deleteTokensExpiredBefore(now);
    } catch (error) {
      this.logger.warn(`Could not purge expired OAuth codes and tokens: ${(error as Error).message}`);
    }
  }
}

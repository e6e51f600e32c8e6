import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SingleFlightCache } from '../common/single-flight-cache.js';
import { AppConfig } from '../config/app-config.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { UserinfoClient } from './userinfo.client.js';

/**
 * Validated userinfo, reused for USERINFO_CACHE_TTL_SECONDS and bounded by
 * USERINFO_CACHE_MAX_ENTRIES. Keys are SHA-256 hashes of the tokens, so a heap
 * dump holds no usable token. Lookups already under way are shared, so a burst
 * with one new token makes one userinfo request. A rejected token is not kept.
 */
@Injectable()
export class UserinfoCache {
  private readonly cache: SingleFlightCache<AuthenticatedUser>;

  constructor(
    private readonly client: UserinfoClient,
    config: AppConfig,
  ) {
    this.cache = new SingleFlightCache(config.userinfoCacheTtlSeconds * 1000, config.userinfoCacheMaxEntries);
  }

  async resolve(token: string): Promise<AuthenticatedUser> {
    const key = createHash('sha256').update(token).digest('base64url');
    return this.cache.get(key, () => this.client.fetchUser(token));
  }
}

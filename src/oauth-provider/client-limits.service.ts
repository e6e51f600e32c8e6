import { Injectable } from '@nestjs/common';
import { SingleFlightCache } from '../common/single-flight-cache.js';
import { ClientLimitSource } from '../quota/client-limit.source.js';
import { OAuthClientsService } from './oauth-clients.service.js';

/** Long enough that protected calls almost never touch the database for it; short enough that another instance's change shows soon. */
export const CLIENT_LIMIT_CACHE_TTL_MS = 30_000;
const MAX_CACHED_CLIENTS = 10_000;

/**
 * The registry's per-client API call limit, for the QuotaService. It is read
 * on every protected call, so it is cached in memory: a change made through
 * this instance's OAuthClientsService clears the entry at once (and keeps a
 * query already under way from caching the stale answer); a change made by
 * another instance shows within CLIENT_LIMIT_CACHE_TTL_MS. Concurrent misses
 * for one client share one query.
 */
@Injectable()
export class OAuthClientLimits extends ClientLimitSource {
  private readonly cache = new SingleFlightCache<number | undefined>(CLIENT_LIMIT_CACHE_TTL_MS, MAX_CACHED_CLIENTS);

  constructor(private readonly clients: OAuthClientsService) {
    super();
    clients.onChange((clientId) => this.cache.invalidate(clientId));
  }

  limitFor(clientId: string): Promise<number | undefined> | number | undefined {
    return this.cache.get(clientId, async () => (await this.clients.get(clientId))?.apiCallLimit ?? undefined);
  }
}

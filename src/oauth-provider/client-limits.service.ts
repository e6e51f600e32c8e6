import { Injectable } from '@nestjs/common';
import { ClientLimitSource } from '../quota/client-limit.source.js';
import { OAuthClientsService } from './oauth-clients.service.js';

/** Long enough that protected calls almost never touch the database for it; short enough that another instance's change shows soon. */
export const CLIENT_LIMIT_CACHE_TTL_MS = 30_000;
const MAX_CACHED_CLIENTS = 10_000;

interface Entry {
  limit: number | undefined;
  expiresAt: number;
}

/**
 * The registry's per-client API call limit, for the QuotaService. It is read
 * on every protected call, so it is cached in memory: a change made through
 * this instance's OAuthClientsService clears the entry at once; a change made
 * by another instance shows within CLIENT_LIMIT_CACHE_TTL_MS. Concurrent
 * misses for one client share one query.
 */
@Injectable()
export class OAuthClientLimits extends ClientLimitSource {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<number | undefined>>();
  /** Bumped on every change, so a query that started before a change cannot cache the stale answer. */
  private generation = 0;

  constructor(private readonly clients: OAuthClientsService) {
    super();
    clients.onChange((clientId) => {
      this.generation++;
      this.cache.delete(clientId);
      this.inFlight.delete(clientId);
    });
  }

  limitFor(clientId: string): Promise<number | undefined> | number | undefined {
    const cached = this.cache.get(clientId);
    if (cached && cached.expiresAt > Date.now()) return cached.limit;
    const pending = this.inFlight.get(clientId);
    if (pending) return pending;
    const generation = this.generation;
    const lookup = this.clients
      .get(clientId)
      .then((client) => {
        const limit = client?.apiCallLimit ?? undefined;
        if (generation === this.generation) {
          if (this.cache.size >= MAX_CACHED_CLIENTS) this.cache.delete(this.cache.keys().next().value!);
          this.cache.set(clientId, { limit, expiresAt: Date.now() + CLIENT_LIMIT_CACHE_TTL_MS });
        }
        return limit;
      })
      .finally(() => {
        if (this.inFlight.get(clientId) === lookup) this.inFlight.delete(clientId);
      });
    this.inFlight.set(clientId, lookup);
    return lookup;
  }
}

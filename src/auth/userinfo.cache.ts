import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { UserinfoClient } from './userinfo.client.js';

interface Entry {
  user: AuthenticatedUser;
  expiresAt: number;
}

/**
 * Validated userinfo, reused for USERINFO_CACHE_TTL_SECONDS. Keys are SHA-256
 * hashes of the tokens, so a heap dump holds no usable token. A Map keeps
 * insertion order, which makes it a small LRU: a hit moves to the end, and the
 * oldest entry goes first when the cache is full. Lookups already under way are
 * shared, so a burst with one new token makes one userinfo request.
 */
@Injectable()
export class UserinfoCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<AuthenticatedUser>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly client: UserinfoClient,
    config: AppConfig,
  ) {
    this.ttlMs = config.userinfoCacheTtlSeconds * 1000;
    this.maxEntries = config.userinfoCacheMaxEntries;
  }

  resolve(token: string): Promise<AuthenticatedUser> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      if (cached.expiresAt > Date.now()) {
        this.entries.set(key, cached);
        return Promise.resolve(cached.user);
      }
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const lookup = this.client
      .fetchUser(token)
      .then((user) => {
        this.remember(key, user);
        return user;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(key: string, user: AuthenticatedUser): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { user, expiresAt: Date.now() + this.ttlMs });
  }
}

import { Injectable } from '@nestjs/common';

/** Addresses tracked at once; the least recently seen goes first, so a spray cannot exhaust memory. */
const MAX_TRACKED_KEYS = 100_000;

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * At most `limit` hits per key within any `windowMs`. In memory, per process.
 * (@nestjs/throttler's storage would do, but it is CommonJS requiring the
 * ESM-only @nestjs/common 12, which Jest cannot load.)
 */
@Injectable()
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  hit(key: string, limit: number, windowMs: number, now = Date.now()): Verdict {
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - windowMs);
    this.hits.delete(key);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      const retryAfterMs = recent[recent.length - limit] + windowMs - now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    while (this.hits.size > MAX_TRACKED_KEYS) {
      const oldest = this.hits.keys().next().value;
      if (oldest === undefined) break;
      this.hits.delete(oldest);
    }
    return { allowed: true };
  }
}

import { Injectable } from '@nestjs/common';
import { OAuthClock } from './clock.js';
import { normalizeEmail } from './oauth-users.service.js';

export const MAX_FAILED_SIGN_INS = 5;
export const FAILED_SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Emails tracked at once; the oldest entry goes first, so memory stays bounded under a spray. */
const MAX_TRACKED_EMAILS = 50_000;

interface Attempts {
  /** Times of wrong passwords within the window, oldest first. */
  failures: number[];
  /** Checks under way: counted against the limit so parallel guesses cannot slip past it. */
  pending: number;
}

export type Admission = { admitted: true; release: (succeeded: boolean) => void } | { admitted: false; retryAfterSeconds: number };

/**
 * Slows password guessing: after MAX_FAILED_SIGN_INS wrong passwords for one
 * email within FAILED_SIGN_IN_WINDOW_MS, further attempts for that email are
 * refused (without checking the password) until the oldest failure leaves the
 * window. In memory, per process: with several instances each keeps its own
 * count (documented in the README).
 */
@Injectable()
export class SignInThrottle {
  private readonly byEmail = new Map<string, Attempts>();

  constructor(private readonly clock: OAuthClock) {}

  /** Reserves one attempt; call `release` with the outcome when the check is done. */
  admit(email: string): Admission {
    const key = normalizeEmail(email);
    const now = this.clock.now().getTime();
    const attempts = this.byEmail.get(key) ?? { failures: [], pending: 0 };
    attempts.failures = attempts.failures.filter((at) => at > now - FAILED_SIGN_IN_WINDOW_MS);
    if (attempts.failures.length + attempts.pending >= MAX_FAILED_SIGN_INS) {
      const oldest = attempts.failures[attempts.failures.length - MAX_FAILED_SIGN_INS] ?? now;
      const retryAfterMs = Math.max(1000, oldest + FAILED_SIGN_IN_WINDOW_MS - now);
      return { admitted: false, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
    }
    attempts.pending++;
    this.byEmail.delete(key);
    this.byEmail.set(key, attempts);
    this.evictOldest();
    let released = false;
    return {
      admitted: true,
      release: (succeeded: boolean) => {
        if (released) return;
        released = true;
        attempts.pending--;
        if (succeeded) attempts.failures = [];
        else attempts.failures.push(this.clock.now().getTime());
        if (attempts.failures.length === 0 && attempts.pending === 0) this.byEmail.delete(key);
      },
    };
  }

  private evictOldest(): void {
    while (this.byEmail.size > MAX_TRACKED_EMAILS) {
      const oldest = this.byEmail.keys().next().value;
      if (oldest === undefined) return;
      this.byEmail.delete(oldest);
    }
  }
}

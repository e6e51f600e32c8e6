import { SlidingWindowLimiter } from './sliding-window-limiter.js';

describe('SlidingWindowLimiter', () => {
  const minute = 60_000;

  it('allows `limit` hits per key within any window, and says when the next one is allowed', () => {
    const limiter = new SlidingWindowLimiter();
    const t0 = 1_000_000;
    expect(limiter.hit('ip-a', 3, minute, t0)).toEqual({ allowed: true });
    expect(limiter.hit('ip-a', 3, minute, t0 + 10_000)).toEqual({ allowed: true });
    expect(limiter.hit('ip-a', 3, minute, t0 + 20_000)).toEqual({ allowed: true });
    // The oldest hit leaves the window at t0 + 60 s: 30 s from now.
    expect(limiter.hit('ip-a', 3, minute, t0 + 30_000)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    // Another key has its own window.
    expect(limiter.hit('ip-b', 3, minute, t0 + 30_000)).toEqual({ allowed: true });
    // A refused hit does not count: once the oldest leaves, one more is allowed, then the next waits for the second oldest.
    expect(limiter.hit('ip-a', 3, minute, t0 + 60_001)).toEqual({ allowed: true });
    expect(limiter.hit('ip-a', 3, minute, t0 + 60_002)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('never answers a Retry-After below one second', () => {
    const limiter = new SlidingWindowLimiter();
    expect(limiter.hit('k', 1, 500, 0)).toEqual({ allowed: true });
    expect(limiter.hit('k', 1, 500, 400)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

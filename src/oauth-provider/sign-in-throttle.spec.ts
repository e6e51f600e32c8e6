import { OAuthClock } from './clock.js';
import { FAILED_SIGN_IN_WINDOW_MS, MAX_FAILED_SIGN_INS, SignInThrottle } from './sign-in-throttle.js';

class ManualClock extends OAuthClock {
  time = Date.UTC(2026, 0, 1);
  override now(): Date {
    return new Date(this.time);
  }
}

function fail(throttle: SignInThrottle, email: string): void {
  const admission = throttle.admit(email);
  if (!admission.admitted) throw new Error('refused');
  admission.release(false);
}

describe('SignInThrottle', () => {
  let clock: ManualClock;
  let throttle: SignInThrottle;
  beforeEach(() => {
    clock = new ManualClock();
    throttle = new SignInThrottle(clock);
  });

  it('refuses after 5 failures for one email (any case), until the oldest leaves the 15-minute window', () => {
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      fail(throttle, 'User@Example.com');
      clock.time += 60_000;
    }
    const refused = throttle.admit('user@example.com');
    expect(refused).toEqual({ admitted: false, retryAfterSeconds: (FAILED_SIGN_IN_WINDOW_MS - 5 * 60_000) / 1000 });
    expect(throttle.admit('other@example.com').admitted).toBe(true);

    clock.time += FAILED_SIGN_IN_WINDOW_MS - 5 * 60_000 + 1;
    expect(throttle.admit('user@example.com').admitted).toBe(true);
  });

  it('forgets the failures after a success', () => {
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) fail(throttle, 'a@example.com');
    const ok = throttle.admit('a@example.com');
    if (!ok.admitted) throw new Error('refused');
    ok.release(true);
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) fail(throttle, 'a@example.com');
    expect(throttle.admit('a@example.com').admitted).toBe(false);
  });

  it('counts checks under way, so parallel attempts cannot exceed the limit', () => {
    const admissions = Array.from({ length: 8 }, () => throttle.admit('b@example.com'));
    expect(admissions.filter((a) => a.admitted)).toHaveLength(MAX_FAILED_SIGN_INS);
  });

  it('ignores a second release of one attempt', () => {
    const admission = throttle.admit('c@example.com');
    if (!admission.admitted) throw new Error('refused');
    admission.release(false);
    admission.release(false);
    // One failure so far, not two: three more leave room for a fifth attempt.
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 2; i++) fail(throttle, 'c@example.com');
    expect(throttle.admit('c@example.com').admitted).toBe(true);
  });
});

import { Injectable } from '@nestjs/common';

/**
 * The provider's notion of "now" for every expiry and throttle decision, in
 * one injectable place, so that a test can move time forward (an expired
 * code, a lifted sign-in lock) without waiting ten minutes.
 */
@Injectable()
export class OAuthClock {
  now(): Date {
    return new Date();
  }
}

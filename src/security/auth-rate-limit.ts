import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';

const MINUTE_MS = 60_000;

/**
 * Per-IP limits on the endpoints that check secrets: the sign-in form's POST
 * and the token endpoint. The provider's own throttle counts wrong passwords
 * per email; this one stops a single address from spraying many emails or
 * client secrets. The address is Express's `req.ip`, so behind a load
 * balancer TRUST_PROXY must be set or every caller shares the balancer's.
 * Counters live in this instance's memory: N instances allow N times the rate.
 */
@Injectable()
export class AuthRateLimit implements NestMiddleware {
  constructor(
    private readonly config: AppConfig,
    private readonly limiter: SlidingWindowLimiter,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // originalUrl: under a mounted middleware req.path is relative to the mount point.
    const endpoint = req.originalUrl.split('?')[0].replace(/\/+$/, '').endsWith('/token') ? 'token' : 'sign-in';
    const limit = endpoint === 'token' ? this.config.tokenRateLimitPerMinute : this.config.signinRateLimitPerMinute;
    const verdict = this.limiter.hit(`${endpoint}:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`, limit, MINUTE_MS);
    if (verdict.allowed) return next();

    const retryAfter = verdict.retryAfterSeconds;
    const message =
      endpoint === 'token'
        ? `Too many token requests from this address: try again in ${retryAfter} seconds`
        : `Too many sign-in attempts from this address: try again in ${retryAfter} seconds`;
    res.status(429).setHeader('Retry-After', String(retryAfter));
    if (endpoint === 'sign-in' && req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(page(message));
      return;
    }
    res.json({ error: endpoint === 'token' ? 'too_many_requests' : message, error_description: message });
  }
}

function page(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many attempts</title></head><body><main><h1>Too many attempts</h1><p role="alert">${message}</p></main></body></html>`;
}

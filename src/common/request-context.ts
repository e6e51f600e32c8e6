import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';

/** What the layers of one request learn and hand on to each other. */
export interface RequestContext {
  requestId: string;
  startedAt: bigint;
  /** Set by the OAuthGuard once the token is validated. */
  user?: AuthenticatedUser;
  /** Set by the QuotaInterceptor: the caller's call count after this request. */
  apiCallCount?: number;
  /** Set once the call log row of this request has been written. */
  callLogged?: boolean;
}

export type AppRequest = Request & { context: RequestContext };

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * Registered before the body parser, so that even a request whose body does
 * not parse has an id and a start time for its log row.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  (req as AppRequest).context = { requestId, startedAt: process.hrtime.bigint() };
  res.setHeader('X-Request-Id', requestId);
  next();
}

export function elapsedMs(context: RequestContext): number {
  return Math.round(Number(process.hrtime.bigint() - context.startedAt) / 1e6);
}

import {
  Injectable,
  Logger,
  ServiceUnavailableException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { CallLogService } from '../call-log/call-log.service.js';
import { AppConfig } from '../config/app-config.js';
import type { AppRequest } from '../common/request-context.js';
import { ProtectedRoutes } from '../common/protected-routes.js';

export const TIMED_OUT = Symbol('request timed out');

/**
 * Answers a request that runs longer than REQUEST_TIMEOUT_MS with a JSON 503,
 * before ChatGPT gives up on it at about 45 s and shows its user a bare
 * failure. Mounted right after the request context, so the time counts from
 * arrival and covers reading the body, the guard's userinfo call and the
 * handler. A protected request still gets its log row (status 503).
 */
@Injectable()
export class RequestTimeout {
  private readonly logger = new Logger('RequestTimeout');

  constructor(
    private readonly config: AppConfig,
    private readonly callLog: CallLogService,
    private readonly protectedRoutes: ProtectedRoutes,
  ) {}

  readonly middleware = (req: AppRequest, res: Response, next: NextFunction): void => {
    const timer = setTimeout(() => void this.expire(req, res), this.config.requestTimeoutMs);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };

  private async expire(req: AppRequest, res: Response): Promise<void> {
    if (res.headersSent) return;
    (req as AppRequest & { [TIMED_OUT]?: boolean })[TIMED_OUT] = true;
    this.logger.warn(`${req.method} ${req.path} still running after ${this.config.requestTimeoutMs} ms: answering 503`);
    const body = {
      error: `The request took longer than ${this.config.requestTimeoutMs} ms and was abandoned; try again`,
    };
    if (req.context && this.protectedRoutes.isProtected(req)) await this.callLog.record(req, 503, body);
    if (res.headersSent) return;
    res.status(503).setHeader('Connection', 'close').json(body);
  }
}

/**
 * A request whose time ran out while the guard was still waiting must not
 * charge quota or write anything once the guard lets it through: its caller
 * already has the 503. A handler already running when time runs out finishes
 * its work (it cannot be interrupted safely); its answer is dropped here
 * rather than written onto a response that has been sent.
 */
@Injectable()
export class AbandonedRequestInterceptor implements NestInterceptor {
  private readonly logger = new Logger('RequestTimeout');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AppRequest & { [TIMED_OUT]?: boolean }>();
    if (request[TIMED_OUT]) {
      this.logger.warn(`${request.method} ${request.path} timed out before its handler ran: not run`);
      throw new ServiceUnavailableException('The request timed out before it was handled');
    }
    return next.handle().pipe(
      map((body) => {
        // The caller has its 503 already: a second answer would only fail to be written.
        if (request[TIMED_OUT]) {
          this.logger.warn(`${request.method} ${request.path} finished after its timeout: its answer is dropped`);
          throw new ServiceUnavailableException('The request finished after its timeout');
        }
        return body;
      }),
    );
  }
}

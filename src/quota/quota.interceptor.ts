import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import type { AppRequest } from '../common/request-context.js';
import { QuotaExceededException } from './quota-exceeded.exception.js';
import { QuotaService } from './quota.service.js';

/**
 * Holds each (user, client) to its limit. The call is charged before the
 * handler runs, in one atomic statement, and given back when the handler fails:
 * so only 2xx responses count, and concurrent calls can never pass the limit.
 */
@Injectable()
export class QuotaInterceptor implements NestInterceptor {
  constructor(private readonly quota: QuotaService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AppRequest>();
    const response = http.getResponse<Response>();
    const user = request.context.user;
    if (!user) throw new Error('QuotaInterceptor needs the OAuthGuard before it');

    const report = (limit: number, count: number) => {
      request.context.apiCallCount = count;
      response.setHeader('RateLimit-Limit', String(limit));
      response.setHeader('RateLimit-Remaining', String(Math.max(0, limit - count)));
    };

    return from(this.quota.reserve(user.userId, user.clientId)).pipe(
      mergeMap((reservation) => {
        report(reservation.limit, reservation.count);
        if (!reservation.granted) throw new QuotaExceededException(reservation.limit);
        return next.handle().pipe(
          catchError((error: unknown) =>
            from(this.quota.release(user.userId, user.clientId)).pipe(
              mergeMap((count) => {
                report(reservation.limit, count);
                return throwError(() => error);
              }),
            ),
          ),
        );
      }),
    );
  }
}

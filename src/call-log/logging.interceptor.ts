import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { mergeMap, Observable } from 'rxjs';
import type { AppRequest } from '../common/request-context.js';
import { CallLogService } from './call-log.service.js';

/**
 * Stores the log row of every answered protected call before the response
 * leaves. Rejections (by the guard, the quota, the validation pipe, or the body
 * parser before routing) never reach the handler's stream: the HttpErrorFilter
 * records those through the same CallLogService.
 */
@Injectable()
export class LoggingInterceptor implements NestInterceptor {
  constructor(private readonly callLog: CallLogService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AppRequest>();
    const status = successStatus(context);
    return next.handle().pipe(
      mergeMap(async (body) => {
        await this.callLog.record(request, status, body);
        return body;
      }),
    );
  }
}

/** The status Nest will send: @HttpCode, else 201 for POST and 200 otherwise. */
const declaredStatus = new WeakMap<object, number | null>();

function successStatus(context: ExecutionContext): number {
  // Read once per handler: the metadata never changes after start-up.
  const handler = context.getHandler();
  let declared = declaredStatus.get(handler);
  if (declared === undefined) {
    declared = (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? null;
    declaredStatus.set(handler, declared);
  }
  if (declared !== null) return declared;
  return context.switchToHttp().getRequest<AppRequest>().method === RequestMethod[RequestMethod.POST]
    ? HttpStatus.CREATED
    : HttpStatus.OK;
}

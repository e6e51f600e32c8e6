import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { CallLogService } from '../call-log/call-log.service.js';
import { BODY_LIMIT } from './body-limit.js';
import type { AppRequest } from './request-context.js';
import { ProtectedRoutes } from './protected-routes.js';

export interface ErrorBody {
  error: string;
  [extra: string]: unknown;
}

/**
 * Every error leaves as JSON with a string `error`. An error on a protected
 * route (from the guard, the quota, the validation pipe, the handler, or the
 * body parser before routing) is logged here, before the response is sent.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  constructor(
    private readonly callLog: CallLogService,
    private readonly protectedRoutes: ProtectedRoutes,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<AppRequest>();
    const response = http.getResponse<Response>();
    const { status, body } = this.toErrorResponse(exception);

    if (request.context && this.protectedRoutes.isProtected(request)) {
      await this.callLog.record(request, status, body);
    }
    if (response.headersSent) return;
    if (status === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(status).json(body);
  }

  private toErrorResponse(exception: unknown): { status: number; body: ErrorBody } {
    // The Express adapter wraps body-parser errors in an HttpException; the cause says which.
    const parserError = bodyParserError(exception instanceof HttpException ? exception.cause : exception);
    if (parserError) return parserError;
    if (exception instanceof HttpException) {
      return { status: exception.getStatus(), body: errorBody(exception.getResponse()) };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { error: 'Internal server error' } };
  }
}

/** Nest's `{message, error: 'Bad Request', statusCode}` and our own `{error, ...}` alike. */
function errorBody(response: string | object): ErrorBody {
  if (typeof response === 'string') return { error: response };
  const { message, error, statusCode: _statusCode, ...extra } = response as Record<string, unknown>;
  const text = Array.isArray(message) ? message.join('; ') : (message ?? error);
  return { error: typeof text === 'string' ? text : 'Request failed', ...extra };
}

/** Errors raised by Express's body parser before any route ran. */
function bodyParserError(error: unknown): { status: number; body: ErrorBody } | undefined {
  const { type, message } = (error ?? {}) as { type?: string; message?: string };
  if (type === 'entity.too.large') {
    return { status: HttpStatus.PAYLOAD_TOO_LARGE, body: { error: `Request body is larger than the ${BODY_LIMIT} limit` } };
  }
  if (type === 'entity.parse.failed') {
    return { status: HttpStatus.BAD_REQUEST, body: { error: `Request body is not valid JSON: ${message}` } };
  }
  return undefined;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { DestinationStream, LoggerOptions } from 'pino';
import type { Options as HttpLoggerOptions } from 'pino-http';
import type { AppConfig } from '../config/app-config.js';
import type { AppRequest } from '../common/request-context.js';
import { REDACT_PATHS, REDACTED, urlForLog } from './log-redaction.js';

/** The field every line logged while serving a request carries. */
export const REQUEST_ID_KEY = 'requestId';

type Req = IncomingMessage & Partial<Pick<AppRequest, 'context' | 'originalUrl' | 'ip'>>;

/** The pino options shared by the HTTP logger, Nest's Logger and the CLI. */
export function pinoOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.logLevel,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    // Log systems parse ISO times without configuration; epoch milliseconds need a hint.
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    base: { pid: process.pid },
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * pino-http as the app uses it: the request id that the request context
 * middleware picked (the caller's X-Request-Id, or a new UUID) is bound to
 * every line of the request, and one line per response carries method, URL,
 * status and duration.
 */
export function httpLoggerOptions(): HttpLoggerOptions<Req, ServerResponse> {
  return {
    genReqId: (req) => req.context?.requestId ?? randomUUID(),
    quietReqLogger: true,
    customAttributeKeys: { reqId: REQUEST_ID_KEY, responseTime: 'durationMs' },
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    // A 5xx without an exception behind it is not an error to trace: no made-up stack.
    customErrorObject: (_req, _res, error, value: Record<string, unknown>) =>
      error.message.startsWith('failed with status code') ? { ...value, err: undefined } : value,
    customSuccessMessage: (req, res) => `${req.method} ${urlForLog(req.originalUrl ?? req.url ?? '')} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${urlForLog(req.originalUrl ?? req.url ?? '')} ${res.statusCode}`,
    serializers: {
      req: (req: { method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string; raw?: Req }) => ({
        method: req.method,
        url: urlForLog(req.raw?.originalUrl ?? req.url),
        // The client address as Express sees it, so TRUST_PROXY decides whose it is.
        ip: req.raw?.ip ?? req.remoteAddress,
        userAgent: req.headers['user-agent'],
        headers: req.headers,
      }),
      // The security and CORS headers are the same on every response: only what differs.
      res: (res: { statusCode: number; headers: Record<string, unknown> }) => ({
        statusCode: res.statusCode,
        headers: pick(res.headers, ['content-type', 'content-length', 'location', 'set-cookie', 'retry-after']),
      }),
    },
  };
}

/**
 * `auto` is pretty on a terminal, JSON when stdout is a pipe or file (a
 * container, a log shipper). Pretty needs pino-pretty, a dev dependency: a
 * production install without it falls back to JSON rather than failing.
 */
export async function logDestination(config: AppConfig, stream: NodeJS.WritableStream = process.stdout): Promise<DestinationStream> {
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && (stream as { isTTY?: boolean }).isTTY === true);
  if (pretty) {
    try {
      const { default: pinoPretty } = await import('pino-pretty');
      return pinoPretty({ destination: stream, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
    } catch {
      // Not installed (npm ci --omit=dev): JSON is still readable.
    }
  }
  // process.stdout is synchronous on Linux for files, pipes and terminals: no
  // line is lost when the process exits right after a shutdown.
  return stream as DestinationStream;
}

function pick(headers: Record<string, unknown> = {}, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]]));
}

import { redact, REDACTED } from '../call-log/redact.js';

/**
 * Where secrets can appear in a log line, configured once for every logger of
 * the app (HTTP lines and Nest `Logger` calls alike). pino removes or masks
 * these paths before a line is written, whatever logged it.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  // A redirect after sign-in carries the authorization code.
  'res.headers.location',
  // Not `code`: errors carry `code: 'ECONNREFUSED'`; authorization codes only travel in URLs (below).
  ...[
    'authorization',
    'cookie',
    'password',
    'secret',
    'token',
    'client_secret',
    'clientSecret',
    'access_token',
    'accessToken',
    'refresh_token',
    'refreshToken',
    'code_verifier',
  ].flatMap((key) => [key, `*.${key}`]),
];

export { REDACTED };

/** Query parameters holding a one-time code are as secret as a token. */
const SECRET_QUERY_KEYS = new Set(['code', 'code_verifier']);

/**
 * The request URL with secret-looking query values masked: a token or code
 * pasted into a query string (Swagger UI's `oauth2-redirect.html?code=...`)
 * must not reach the log system.
 */
export function urlForLog(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  const masked = redact(Object.fromEntries(params)) as Record<string, string>;
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    out.append(key, SECRET_QUERY_KEYS.has(key) || masked[key] === REDACTED ? REDACTED : value);
  }
  return `${url.slice(0, queryStart)}?${out.toString()}`;
}

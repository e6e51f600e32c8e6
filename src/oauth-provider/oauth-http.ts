import OAuth2Server from '@node-oauth/oauth2-server';
import type { Request } from 'express';

const { InvalidRequestError } = OAuth2Server;

/** Client credentials from HTTP Basic (RFC 6749 2.3.1) or, failing that, the body. */
export function clientCredentials(req: Request, body: Record<string, string>): { clientId?: string; clientSecret?: string } {
  const header = req.headers.authorization;
  const match = header ? /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header) : null;
  if (match) {
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
    return {};
  }
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

/**
 * The token and revocation endpoints take form-encoded bodies (RFC 6749) and,
 * for convenience, JSON: either way every parameter must be a single string.
 */
export function oauthBody(body: unknown): Record<string, string> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('The request body must be form fields or a JSON object');
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new InvalidRequestError(`Invalid parameter: \`${key}\` must be a single string`);
    result[key] = value;
  }
  return result;
}

/** Keeps the scope tokens RFC 6749 allows (NQCHAR); anything else is dropped, never an error. */
export function normalizeScope(scope: string | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const tokens = scope.split(/\s+/).filter((token) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(token));
  return tokens.length > 0 ? [...new Set(tokens)].join(' ') : undefined;
}

/**
 * The forms a client's credentials may arrive in: as sent, and, when they hold
 * `%` or `+`, form-decoded. RFC 6749 2.3.1 asks clients to form-encode the id
 * and secret before HTTP Basic; many do not. Trying both serves either kind of
 * client; it widens nothing for a guesser, who still needs the secret itself.
 */
export function credentialVariants(clientId: string, clientSecret: string): Array<[string, string]> {
  const variants: Array<[string, string]> = [[clientId, clientSecret]];
  if (/[%+]/.test(clientId + clientSecret)) {
    try {
      const decoded: [string, string] = [formDecode(clientId), formDecode(clientSecret)];
      if (decoded[0] !== clientId || decoded[1] !== clientSecret) variants.push(decoded);
    } catch {
      // Not valid percent-encoding: only the raw form can match.
    }
  }
  return variants;
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replaceAll('+', ' '));
}

/**
 * Redirect URI allowlist. A registered URI matches exactly, except that a path
 * segment written `*` matches exactly one path segment (the GPT id in
 * `https://chatgpt.com/aip/<gpt-id>/oauth/callback`). The one segment may hold
 * only unreserved characters and may not be `.` or `..`, so that it can never
 * be normalised into another path.
 */
const SEGMENT = '(?!\\.{1,2}(?:/|$))[A-Za-z0-9._~-]+';

export class RedirectUriError extends Error {}

/** Throws a RedirectUriError that says what is wrong with a URI someone wants to register. */
export function validateRedirectPattern(pattern: string): void {
  let url: URL;
  try {
    url = new URL(pattern.replaceAll('*', 'x'));
  } catch {
    throw new RedirectUriError(`"${pattern}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RedirectUriError(`"${pattern}" must use https (or http)`);
  }
  if (url.hash !== '' || pattern.includes('#')) {
    throw new RedirectUriError(`"${pattern}" must not contain a fragment`);
  }
  const afterOrigin = pattern.slice(pattern.indexOf('//') + 2);
  const slash = afterOrigin.indexOf('/');
  const authority = slash === -1 ? afterOrigin : afterOrigin.slice(0, slash);
  if (authority.includes('*')) {
    throw new RedirectUriError(`"${pattern}": "*" is only allowed as a whole path segment, not in the host`);
  }
  const path = slash === -1 ? '' : afterOrigin.slice(slash).split('?')[0];
  if (pattern.split('?').slice(1).join('?').includes('*')) {
    throw new RedirectUriError(`"${pattern}": "*" is only allowed as a whole path segment, not in the query`);
  }
  for (const segment of path.split('/')) {
    if (segment.includes('*') && segment !== '*') {
      throw new RedirectUriError(`"${pattern}": "*" must be a whole path segment (like /aip/*/oauth/callback)`);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function matchesRedirectPattern(pattern: string, candidate: string): boolean {
  if (!pattern.includes('*')) return pattern === candidate;
  const source = pattern
    .split('/')
    .map((part, index) => (part === '*' && index >= 3 ? SEGMENT : escapeRegExp(part)))
    .join('/');
  return new RegExp(`^${source}$`).test(candidate);
}

import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * helmet's headers with a Content Security Policy that the app's own pages
 * live with: Swagger UI at /docs (swagger-ui-dist from node_modules, inline
 * styles and data: images) and the server-rendered sign-in page.
 *
 * `form-action` must let the sign-in form's POST redirect to the client's
 * redirect URI (https://chatgpt.com/aip/...): browsers apply form-action to
 * the redirect too. Clients are registered at run time, so any https target is
 * allowed; which redirect URI is acceptable is the provider's check, not the
 * browser's.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'form-action': ["'self'", 'https:'],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
      },
    },
    // Swagger UI's Authorize popup reports back to its opener; same-origin would cut that link.
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    // A GPT fetches the API from other origins (CORS decides who may).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  }) as RequestHandler;
}

import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import { createGptDocument, OPENAPI_JSON_PATH } from './openapi.document.js';

export const DOCS_PATH = 'docs';

export function swaggerRedirectUrl(publicUrl: string): string {
  return `${publicUrl}/${DOCS_PATH}/oauth2-redirect.html`;
}

/**
 * Serves the GPT document at /openapi.json and Swagger UI at /docs. Swagger
 * UI's assets (including oauth2-redirect.html) come from swagger-ui-dist in
 * node_modules, never from a CDN, so a strict CSP can allow 'self' only.
 */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  const document = createGptDocument(app, config.publicUrl);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Todo API for GPT Actions - Swagger UI',
    swaggerOptions: {
      // Swagger UI would derive /oauth2-redirect.html from the page URL "/docs"; the
      // provider registers exactly $PUBLIC_URL/docs/oauth2-redirect.html.
      oauth2RedirectUrl: swaggerRedirectUrl(config.publicUrl),
      // The secret is never baked into a public page: the browser proves itself with PKCE.
      initOAuth: {
        clientId: config.oauthClientId,
        usePkceWithAuthorizationCodeGrant: true,
        scopes: [],
      },
      // A token typed into a shared machine's browser should not outlive the tab.
      persistAuthorization: false,
      displayOperationId: true,
      // The default badge fetches validator.swagger.io: an outside call a CSP would block.
      validatorUrl: null,
    },
  });
}

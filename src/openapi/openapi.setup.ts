import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import {
  API_TITLE,
  createFullDocument,
  createGptDocument,
  FULL_API_TITLE,
  FULL_OPENAPI_JSON_PATH,
  OPENAPI_JSON_PATH,
} from './openapi.document.js';

export const DOCS_PATH = 'docs';

export function swaggerRedirectUrl(publicUrl: string): string {
  return `${publicUrl}/${DOCS_PATH}/oauth2-redirect.html`;
}

/**
 * Serves the GPT document at /openapi.json, the document for people at
 * /openapi-full.json, and Swagger UI at /docs with both in its definition
 * menu (the GPT one first). Swagger UI's assets (oauth2-redirect.html too)
 * come from swagger-ui-dist in node_modules, never from a CDN, so a strict
 * CSP can allow 'self' only.
 */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  const gptDocument = createGptDocument(app, config.publicUrl);
  const fullDocument = createFullDocument(app, config.publicUrl);
  SwaggerModule.setup('openapi-full', app, fullDocument, { ui: false, raw: ['json'], jsonDocumentUrl: FULL_OPENAPI_JSON_PATH });
  SwaggerModule.setup(DOCS_PATH, app, gptDocument, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: `${API_TITLE} - Swagger UI`,
    // Shows the definition menu; with `urls` set it is a list of the two documents, not a free URL field.
    explorer: true,
    swaggerOptions: {
      urls: [
        { url: OPENAPI_JSON_PATH, name: API_TITLE },
        { url: FULL_OPENAPI_JSON_PATH, name: FULL_API_TITLE },
      ],
      'urls.primaryName': API_TITLE,
      // Swagger UI would derive /oauth2-redirect.html from the page URL "/docs"; the
      // provider registers exactly $PUBLIC_URL/docs/oauth2-redirect.html.
      oauth2RedirectUrl: swaggerRedirectUrl(config.publicUrl),
      // The secret is never baked into a public page: the person types it (see README, "Try the API in Swagger UI").
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

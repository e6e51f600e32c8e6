import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { OAUTH2_SECURITY_SCHEME } from '../common/protected-operation.decorator.js';
import { TodosModule } from '../todos/todos.module.js';

/**
 * The modules whose operations a GPT may call. Everything else (the OAuth
 * provider, the admin API, health, docs) stays out of the imported document:
 * the GPT editor allows at most 30 operations and the model would otherwise be
 * offered tools it must never use.
 */
export const GPT_MODULES = [TodosModule];

export const OPENAPI_JSON_PATH = '/openapi.json';
export const FULL_OPENAPI_JSON_PATH = '/openapi-full.json';
/** The committed openapi.json is generated for this PUBLIC_URL, so that it only changes when the API does. */
export const COMMITTED_DOCUMENT_PUBLIC_URL = 'http://localhost:3000';
export const COMMITTED_DOCUMENT_FILE = 'openapi.json';
export const API_TITLE = 'Todo API for GPT Actions';
export const FULL_API_TITLE = 'Todo API and operator API';
/** The name AdminController gives its bearer requirement (@ApiBearerAuth). */
export const ADMIN_SECURITY_SCHEME = 'adminApiKey';
export const API_VERSION = '1.0.0';

export function oauthUrls(publicUrl: string): { authorizationUrl: string; tokenUrl: string } {
  return {
    authorizationUrl: `${publicUrl}/api/oauth2/authorize`,
    tokenUrl: `${publicUrl}/api/oauth2/token`,
  };
}

function baseDocument(publicUrl: string, title: string, description: string): DocumentBuilder {
  const { authorizationUrl, tokenUrl } = oauthUrls(publicUrl);
  return new DocumentBuilder()
    .setTitle(title)
    .setDescription(description)
    .setVersion(API_VERSION)
    .addServer(publicUrl)
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Sign in with the built-in OAuth 2.0 provider (authorization code flow; PKCE optional).',
        flows: { authorizationCode: { authorizationUrl, tokenUrl, scopes: {} } },
      },
      OAUTH2_SECURITY_SCHEME,
    );
}

/**
 * The document a GPT editor imports as is. It is generated from the
 * controllers and DTOs on every start, so it cannot drift from the code;
 * `npm run openapi` writes the same document to openapi.json for review.
 */
export function createGptDocument(app: INestApplication, publicUrl: string): OpenAPIObject {
  const config = baseDocument(
    publicUrl,
    API_TITLE,
    'Keeps a personal todo list for the signed-in user: create, list, read, update and delete todos. ' +
      "Every call acts on behalf of the user who signed in through OAuth and only sees that user's todos.",
  ).build();
  return SwaggerModule.createDocument(app, config, { include: GPT_MODULES });
}

/**
 * The document for people (Swagger UI's second definition): every documented
 * controller, the admin API included, behind its own bearer scheme. A GPT
 * never sees it.
 */
export function createFullDocument(app: INestApplication, publicUrl: string): OpenAPIObject {
  const config = baseDocument(
    publicUrl,
    FULL_API_TITLE,
    'Everything a person can call: the todo API a GPT uses (OAuth), and the operator API under /api/admin ' +
      '(Authorization: Bearer $ADMIN_API_KEY). GPT editors import /openapi.json instead.',
  )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The value of ADMIN_API_KEY.' }, ADMIN_SECURITY_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Stable text for the committed file: two-space JSON, one trailing newline. */
export function serializeDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

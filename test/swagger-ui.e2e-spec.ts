import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';

const PUBLIC_URL = 'https://todo.example.test';
const CLIENT_ID = 'swagger-ui-test-client';
const CLIENT_SECRET = 'client-secret-never-in-a-page';
const DEMO_PASSWORD = 'demo-password-never-in-a-page';

/** The options object swagger-ui-init.js hands to SwaggerUIBundle. */
function initOptions(script: string): Record<string, any> {
  const match = /let options = (\{[\s\S]*?\});\n/.exec(script);
  if (!match) throw new Error('swagger-ui-init.js has no options object');
  return JSON.parse(match[1]) as Record<string, any>;
}

describe('GET /docs: Swagger UI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        PUBLIC_URL,
        OAUTH_CLIENT_ID: CLIENT_ID,
        OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        DEMO_USER_EMAIL: 'demo@example.com',
        DEMO_USER_PASSWORD: DEMO_PASSWORD,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves the page with every script and stylesheet from the app itself (no CDN)', async () => {
    const res = await request(t.url).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...res.text.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(assets).toEqual(
      expect.arrayContaining(['./docs/swagger-ui-bundle.js', './docs/swagger-ui-init.js', './docs/swagger-ui.css']),
    );
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const served = await request(t.url).get(new URL(asset, `${t.url}/docs`).pathname);
      expect({ asset, status: served.status }).toEqual({ asset, status: 200 });
    }
  });

  it('presets Authorize to the authorization code flow with PKCE, the configured client id and the /docs redirect page', async () => {
    const res = await request(t.url).get('/docs/swagger-ui-init.js');
    expect(res.status).toBe(200);
    const options = initOptions(res.text);
    expect(options.customOptions.initOAuth).toEqual({ clientId: CLIENT_ID, usePkceWithAuthorizationCodeGrant: true, scopes: [] });
    expect(options.customOptions.oauth2RedirectUrl).toBe(`${PUBLIC_URL}/docs/oauth2-redirect.html`);
    // No badge fetched from validator.swagger.io: the page makes no outside calls.
    expect(options.customOptions.validatorUrl).toBeNull();
    const scheme = options.swaggerDoc.components.securitySchemes.oauth2;
    expect(scheme.flows.authorizationCode.authorizationUrl).toBe(`${PUBLIC_URL}/api/oauth2/authorize`);
    expect(options.swaggerDoc.servers[0].url).toBe(PUBLIC_URL);
  });

  it('offers the GPT document first and the full document for people second, both served by the app', async () => {
    const options = initOptions((await request(t.url).get('/docs/swagger-ui-init.js')).text);
    expect(options.customOptions.urls).toEqual([
      { url: '/openapi.json', name: 'Todo API for GPT Actions' },
      { url: '/openapi-full.json', name: 'Todo API and operator API' },
    ]);
    expect(options.customOptions['urls.primaryName']).toBe('Todo API for GPT Actions');
    for (const { url } of options.customOptions.urls as Array<{ url: string }>) {
      const res = await request(t.url).get(url);
      expect({ url, status: res.status, openapi: res.body.openapi }).toEqual({ url, status: 200, openapi: '3.0.0' });
    }
  });

  it('never puts the client secret or the demo password into the page or its script', async () => {
    for (const path of ['/docs', '/docs/swagger-ui-init.js', '/openapi.json', '/openapi-full.json']) {
      const res = await request(t.url).get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(CLIENT_SECRET);
      expect(res.text).not.toContain(DEMO_PASSWORD);
    }
  });

  it('serves the OAuth2 redirect page and its script at /docs/oauth2-redirect.html', async () => {
    const page = await request(t.url).get('/docs/oauth2-redirect.html');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('oauth2-redirect.js');
    const script = await request(t.url).get('/docs/oauth2-redirect.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain('swaggerUIRedirectOauth2');
  });

  it('is a redirect URI the built-in provider accepts for the client: the sign-in page, not a 400', async () => {
    const res = await request(t.url).get('/api/oauth2/authorize').query({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${PUBLIC_URL}/docs/oauth2-redirect.html`,
      state: 'from-swagger-ui',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/name=["']?password/);
  });
});

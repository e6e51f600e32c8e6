import { readFileSync, existsSync } from 'node:fs';
import { jest } from '@jest/globals';
import request from 'supertest';
import { OAuthClock } from '../src/oauth-provider/clock.js';
import { OAuthClientsService } from '../src/oauth-provider/oauth-clients.service.js';
import { freePort } from './support/free-port.js';
import { LogLines } from './support/log-lines.js';
import {
  authorizePage,
  CHATGPT_CALLBACK,
  pkcePair,
  signInForCode,
  submitSignIn,
  tokenRequest,
  type AuthorizeRequest,
} from './support/oauth-flow.js';
import { OutputCapture } from './support/output-capture.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CLIENT_ID = 'test-gpt';
const CLIENT_SECRET = 'test-client-secret-9f8e7d6c5b4a';
const EMAIL = 'demo@example.com';
const PASSWORD = 'demo-password-Xy7!';

describe('built-in OAuth 2.0 provider (ChatGPT as the client)', () => {
  let t: TestApp;
  let logs: LogLines;
  let output: OutputCapture;
  /** Every secret this suite saw in clear text, to look for in the database and the logs. */
  const secrets = new Set<string>([CLIENT_SECRET, PASSWORD]);
  const remember = <T extends string | undefined>(value: T): T => {
    if (value) secrets.add(value);
    return value;
  };

  const authorizeParams = (extra: Partial<AuthorizeRequest> = {}): AuthorizeRequest => ({
    client_id: CLIENT_ID,
    redirect_uri: CHATGPT_CALLBACK,
    state: 'st-' + Math.random().toString(36).slice(2),
    scope: '',
    ...extra,
  });

  /** The whole browser part: sign in, get a code. */
  const code = async (extra: Partial<AuthorizeRequest> = {}, email = EMAIL, password = PASSWORD) =>
    remember((await signInForCode(t.url, authorizeParams(extra), email, password)).code);

  /** Code exchange as ChatGPT's "Default (POST request)" does it. */
  const exchange = (authCode: string, extra: Record<string, string> = {}, auth: 'body' | 'basic' = 'body') =>
    tokenRequest(
      t.url,
      { grant_type: 'authorization_code', code: authCode, redirect_uri: CHATGPT_CALLBACK, ...extra },
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, auth },
    );

  const tokens = async (extra: Partial<AuthorizeRequest> = {}) => {
    const res = await exchange(await code(extra));
    expect(res.status).toBe(200);
    remember(res.body.access_token);
    remember(res.body.refresh_token);
    return res.body as { access_token: string; refresh_token: string; expires_in: number; token_type: string };
  };

  const refresh = (refreshToken: string, auth: 'body' | 'basic' = 'body') =>
    tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: refreshToken }, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, auth });

  const userinfo = (token: string) => request(t.url).get('/api/oauth2/userinfo').set('Authorization', `Bearer ${token}`);
  const createTodo = (token: string, title = 'from ChatGPT') =>
    request(t.url).post('/api/todo-demo').set('Authorization', `Bearer ${token}`).send({ title });

  beforeAll(async () => {
    logs = new LogLines();
    output = new OutputCapture().start();
    const port = await freePort();
    t = await startTestApp({
      logDestination: logs,
      env: {
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'debug',
        OAUTH_CLIENT_ID: CLIENT_ID,
        OAUTH_CLIENT_SECRET: CLIENT_SECRET,
        DEMO_USER_EMAIL: EMAIL,
        DEMO_USER_PASSWORD: PASSWORD,
        USERINFO_CACHE_TTL_SECONDS: '1',
      },
    });
  });

  afterAll(async () => {
    output?.stop();
    await t?.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('serves RFC 8414 metadata built from PUBLIC_URL', async () => {
    const res = await request(t.url).get('/.well-known/oauth-authorization-server');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: t.config.publicUrl,
      authorization_endpoint: `${t.config.publicUrl}/api/oauth2/authorize`,
      token_endpoint: `${t.config.publicUrl}/api/oauth2/token`,
      revocation_endpoint: `${t.config.publicUrl}/api/oauth2/revoke`,
      response_types_supported: ['code'],
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token']),
      token_endpoint_auth_methods_supported: expect.arrayContaining(['client_secret_post', 'client_secret_basic']),
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('runs the whole flow: sign-in page, code, token by body, userinfo, a protected call', async () => {
    const state = 'xyz-123_~. &=+/?"<>';
    const page = await authorizePage(t.url, authorizeParams({ state }));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain(`action="${t.config.publicUrl}/api/oauth2/authorize"`);
    expect(page.text).toMatch(/<label for="signin-email">/);
    expect(page.text).toMatch(/id="signin-email" type="email" name="email" autocomplete="username"/);
    expect(page.text).toMatch(/id="signin-password" type="password" name="password" autocomplete="current-password"/);
    // The state goes back in a hidden field, escaped.
    expect(page.text).toContain('name="state" value="xyz-123_~. &amp;=+/?&quot;&lt;&gt;"');
    expect(page.text).not.toContain(state);

    const { code: authCode, state: returned, location } = await signInForCode(t.url, authorizeParams({ state }), EMAIL, PASSWORD);
    remember(authCode);
    expect(`${location.origin}${location.pathname}`).toBe(CHATGPT_CALLBACK);
    expect(returned).toBe(state);

    const res = await exchange(authCode);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      refresh_token: expect.any(String),
    });
    // The library counts down from the expiry it stored, so a second may have passed.
    expect(res.body.expires_in).toBeGreaterThan(t.config.accessTokenTtlSeconds - 5);
    expect(res.body.expires_in).toBeLessThanOrEqual(t.config.accessTokenTtlSeconds);
    remember(res.body.access_token);
    remember(res.body.refresh_token);

    const me = await userinfo(res.body.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: expect.any(String), cid: CLIENT_ID, sub: me.body.id, email: EMAIL, name: 'Demo User' });

    const todo = await createTodo(res.body.access_token);
    expect(todo.status).toBe(200);
    expect(todo.body).toMatchObject({ title: 'from ChatGPT', userId: me.body.id });
  });
});

import { readFileSync, existsSync } from 'node:fs';
import { jest } from '@jest/globals';
import request from 'supertest';
import { OAuthClock } from '../src/oauth-provider/clock.js';
import { OAuthClientExistsError, OAuthClientNotFoundError, OAuthClientsService } from '../src/oauth-provider/oauth-clients.service.js';
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
        // The per-address limits (src/security) are not under test here; the per-email throttle is.
        SIGNIN_RATE_LIMIT_PER_MINUTE: '100000',
        TOKEN_RATE_LIMIT_PER_MINUTE: '100000',
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

    // The guard validates the token over real HTTP at its default URL, this app's own userinfo on loopback.
    expect(t.config.oauthUserinfoUrl).toBe(`http://127.0.0.1:${t.config.port}/api/oauth2/userinfo`);
    const userinfoCalls = () => logs.lines.filter((line) => line.msg === 'GET /api/oauth2/userinfo 200').length;
    const before = userinfoCalls();
    const todo = await createTodo(res.body.access_token);
    expect(todo.status).toBe(200);
    expect(todo.body).toMatchObject({ title: 'from ChatGPT', userId: me.body.id });
    expect(userinfoCalls()).toBe(before + 1);
  });

  it('exchanges a code with HTTP Basic client authentication, and with a JSON body', async () => {
    const basic = await exchange(await code(), {}, 'basic');
    expect(basic.status).toBe(200);
    expect(basic.body.token_type).toBe('Bearer');
    remember(basic.body.access_token);
    remember(basic.body.refresh_token);
    expect((await userinfo(basic.body.access_token)).status).toBe(200);

    const json = await tokenRequest(
      t.url,
      { grant_type: 'authorization_code', code: await code(), redirect_uri: CHATGPT_CALLBACK },
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, auth: 'body', encoding: 'json' },
    );
    expect(json.status).toBe(200);
    remember(json.body.access_token);
    remember(json.body.refresh_token);
  });

  it.each([
    ['empty', ''],
    ['absent', undefined],
    ['unusual', 'openid profile "quoted" \\back todo:write  ü'],
  ])('accepts an %s scope without failing', async (_name, scope) => {
    const body = await tokens({ scope });
    expect((await userinfo(body.access_token)).status).toBe(200);
    const again = await refresh(body.refresh_token);
    expect(again.status).toBe(200);
    remember(again.body.access_token);
    remember(again.body.refresh_token);
  });

  it('ignores a scope sent along with a refresh', async () => {
    const first = await tokens({ scope: 'read' });
    const res = await tokenRequest(
      t.url,
      { grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'write admin' },
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, auth: 'body' },
    );
    expect(res.status).toBe(200);
    remember(res.body.access_token);
    remember(res.body.refresh_token);
  });

  it('refreshes with rotation; a reused refresh token revokes the whole grant', async () => {
    const first = await tokens();
    const second = await refresh(first.refresh_token, 'basic');
    expect(second.status).toBe(200);
    expect(second.headers['cache-control']).toBe('no-store');
    expect(second.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
    remember(second.body.access_token);
    remember(second.body.refresh_token);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect((await userinfo(second.body.access_token)).status).toBe(200);

    // The old refresh token comes back (a thief, or a confused client): refused...
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    // ...and every token of that grant is dead, the newest included.
    expect((await userinfo(second.body.access_token)).status).toBe(401);
    expect((await userinfo(first.access_token)).status).toBe(401);
    const next = await refresh(second.body.refresh_token);
    expect(next.status).toBe(400);
    expect(next.body.error).toBe('invalid_grant');
  });

  it('lets exactly one of several concurrent refreshes with one token win', async () => {
    const first = await tokens();
    const results = await Promise.all(Array.from({ length: 6 }, () => refresh(first.refresh_token)));
    results.forEach((res) => {
      remember(res.body.access_token);
      remember(res.body.refresh_token);
    });
    expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    expect(results.filter((res) => res.status === 400 && res.body.error === 'invalid_grant')).toHaveLength(5);
  });

  it('honours PKCE S256 when a challenge was sent: right verifier passes, wrong or missing fails', async () => {
    const { verifier, challenge } = pkcePair();
    const good = await exchange(await code({ code_challenge: challenge, code_challenge_method: 'S256' }), { code_verifier: verifier });
    expect(good.status).toBe(200);
    remember(good.body.access_token);
    remember(good.body.refresh_token);

    const wrong = await exchange(await code({ code_challenge: challenge, code_challenge_method: 'S256' }), {
      code_verifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');

    const missing = await exchange(await code({ code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_grant');

    // A verifier for a code issued without a challenge is a mismatch too.
    const unexpected = await exchange(await code(), { code_verifier: verifier });
    expect(unexpected.status).toBe(400);
    expect(unexpected.body.error).toBe('invalid_grant');
  });

  it('still demands the client secret when PKCE is used', async () => {
    const { verifier, challenge } = pkcePair();
    const authCode = await code({ code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await tokenRequest(
      t.url,
      { grant_type: 'authorization_code', code: authCode, redirect_uri: CHATGPT_CALLBACK, code_verifier: verifier },
      { clientId: CLIENT_ID, auth: 'body' },
    );
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses plain PKCE with a 400 page', async () => {
    const res = await authorizePage(t.url, authorizeParams({ code_challenge: pkcePair().verifier, code_challenge_method: 'plain' }));
    expect(res.status).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('code_challenge_method must be &quot;S256&quot;');
  });

  it('uses a code once; a second use fails and revokes the tokens the first one bought', async () => {
    const authCode = await code();
    const first = await exchange(authCode);
    expect(first.status).toBe(200);
    remember(first.body.access_token);
    remember(first.body.refresh_token);
    expect((await userinfo(first.body.access_token)).status).toBe(200);

    const second = await exchange(authCode);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect((await userinfo(first.body.access_token)).status).toBe(401);
    expect((await refresh(first.body.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('lets exactly one of several concurrent exchanges of one code win', async () => {
    const authCode = await code();
    const results = await Promise.all(Array.from({ length: 6 }, () => exchange(authCode)));
    results.forEach((res) => {
      remember(res.body.access_token);
      remember(res.body.refresh_token);
    });
    expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    expect(results.filter((res) => res.status === 400 && res.body.error === 'invalid_grant')).toHaveLength(5);
  });

  it('refuses a code after 10 minutes', async () => {
    const authCode = await code();
    const clock = t.app.get(OAuthClock);
    const issued = Date.now();
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(issued + 10 * 60_000 + 1000));
    const res = await exchange(authCode);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: expect.stringMatching(/expired/) });
  });

  it('accepts a code just before its 10 minutes are up', async () => {
    const authCode = await code();
    const clock = t.app.get(OAuthClock);
    const issued = Date.now();
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(issued + 9 * 60_000));
    const res = await exchange(authCode);
    expect(res.status).toBe(200);
    remember(res.body.access_token);
    remember(res.body.refresh_token);
  });

  it('binds a code to its redirect URI and its client', async () => {
    const otherRedirect = await exchange(await code(), { redirect_uri: 'https://chatgpt.com/aip/g-other/oauth/callback' });
    expect(otherRedirect.status).toBe(400);
    expect(otherRedirect.body.error).toBe('invalid_request');

    const other = await t.app.get(OAuthClientsService).create({ redirectUris: [CHATGPT_CALLBACK] });
    remember(other.clientSecret);
    const otherClient = await tokenRequest(
      t.url,
      { grant_type: 'authorization_code', code: await code(), redirect_uri: CHATGPT_CALLBACK },
      { clientId: other.client.clientId, clientSecret: other.clientSecret, auth: 'body' },
    );
    expect(otherClient.status).toBe(400);
    expect(otherClient.body.error).toBe('invalid_grant');
  });

  it('answers a wrong client secret with 401 invalid_client, by body and by Basic', async () => {
    for (const auth of ['body', 'basic'] as const) {
      const res = await tokenRequest(
        t.url,
        { grant_type: 'authorization_code', code: await code(), redirect_uri: CHATGPT_CALLBACK },
        { clientId: CLIENT_ID, clientSecret: 'not-the-secret', auth },
      );
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const unknown = await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: 'x' }, { clientId: 'nobody', clientSecret: 'x', auth: 'body' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('invalid_client');
  });

  it('accepts a secret with special characters in HTTP Basic both as sent and form-encoded (RFC 6749 2.3.1)', async () => {
    const secret = remember('p@ss:w0rd+with%2Fspecial/chars&=');
    await t.app.get(OAuthClientsService).create({ clientId: 'special-gpt', redirectUris: [CHATGPT_CALLBACK], clientSecret: secret });
    const formEncoded = encodeURIComponent(secret).replace(/%20/g, '+');
    for (const sent of [secret, formEncoded]) {
      const { code: authCode } = await signInForCode(t.url, { ...authorizeParams(), client_id: 'special-gpt' }, EMAIL, PASSWORD);
      const res = await tokenRequest(
        t.url,
        { grant_type: 'authorization_code', code: remember(authCode), redirect_uri: CHATGPT_CALLBACK },
        { clientId: 'special-gpt', clientSecret: sent, auth: 'basic' },
      );
      expect(res.status).toBe(200);
      remember(res.body.access_token);
      remember(res.body.refresh_token);
    }
    const wrong = await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: 'x' }, { clientId: 'special-gpt', clientSecret: 'p%40ss', auth: 'basic' });
    expect(wrong.status).toBe(401);
  });

  it('follows RFC 6749 5.2 for other token errors', async () => {
    const unsupported = await tokenRequest(t.url, { grant_type: 'password', username: EMAIL, password: PASSWORD }, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, auth: 'body' });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error).toMatch(/^(unsupported_grant_type|unauthorized_client)$/);

    const missingCode = await tokenRequest(t.url, { grant_type: 'authorization_code', redirect_uri: CHATGPT_CALLBACK }, { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, auth: 'body' });
    expect(missingCode.status).toBe(400);
    expect(missingCode.body.error).toBe('invalid_request');

    const bogusCode = await exchange('no-such-code');
    expect(bogusCode.status).toBe(400);
    expect(bogusCode.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });

    const notString = await request(t.url).post('/api/oauth2/token').send({ grant_type: 'authorization_code', code: 42, client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(notString.status).toBe(400);
    expect(notString.body.error).toBe('invalid_request');
    expect(notString.body.error_description).toContain('code');
  });

  describe('requests that must not redirect', () => {
    it.each<[string, Partial<AuthorizeRequest>, RegExp]>([
      ['an unknown client', { client_id: 'who-is-this' }, /No application is registered with client_id &quot;who-is-this&quot;/],
      ['an unregistered redirect URI', { redirect_uri: 'https://evil.example/callback' }, /not registered/],
      ['a redirect URI with two segments for the one-segment *', { redirect_uri: 'https://chatgpt.com/aip/a/b/oauth/callback' }, /not registered/],
      ['a dot-dot segment for *', { redirect_uri: 'https://chatgpt.com/aip/../oauth/callback' }, /not registered/],
      ['a redirect URI with an extra query', { redirect_uri: `${CHATGPT_CALLBACK}?next=https://evil.example` }, /not registered/],
      ['response_type=token', { response_type: 'token' }, /only &quot;code&quot;/],
      ['no redirect URI', { redirect_uri: undefined }, /redirect_uri is missing/],
    ])('shows a 400 page for %s', async (_name, extra, message) => {
      const params = { ...authorizeParams(), ...extra } as AuthorizeRequest;
      const page = await authorizePage(t.url, params);
      expect(page.status).toBe(400);
      expect(page.headers.location).toBeUndefined();
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text.match(/role="alert">([^<]*)</)?.[1]).toMatch(message);
      // Not even with the right credentials.
      const post = await submitSignIn(t.url, params, { email: EMAIL, password: PASSWORD });
      expect(post.status).toBe(400);
      expect(post.headers.location).toBeUndefined();
    });

    it('escapes what it echoes', async () => {
      const page = await authorizePage(t.url, authorizeParams({ client_id: '<script>alert(1)</script>' }));
      expect(page.status).toBe(400);
      expect(page.text).not.toContain('<script>alert(1)</script>');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });

  it('always allows the app’s own Swagger UI callback', async () => {
    const swagger = `${t.config.publicUrl}/docs/oauth2-redirect.html`;
    const { code: authCode, location } = await signInForCode(t.url, authorizeParams({ redirect_uri: swagger }), EMAIL, PASSWORD);
    remember(authCode);
    expect(`${location.origin}${location.pathname}`).toBe(swagger);
    const res = await exchange(authCode, { redirect_uri: swagger });
    expect(res.status).toBe(200);
    remember(res.body.access_token);
    remember(res.body.refresh_token);
  });

  it('shows the form again, with an error and no code, on a wrong password', async () => {
    const res = await submitSignIn(t.url, authorizeParams(), { email: EMAIL, password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('Wrong email or password.');
    expect(res.text).toContain('name="client_id"');
    expect(res.text).not.toContain('wrong-password');
  });

  it('signs up a new account on the same page and issues a code for it', async () => {
    const page = await authorizePage(t.url, authorizeParams());
    expect(page.text).toContain('name="intent" value="signup"');
    expect(page.text).toMatch(/id="signup-password" type="password" name="password" autocomplete="new-password"/);

    const password = remember('a-brand-new-password');
    const res = await submitSignIn(t.url, authorizeParams(), { intent: 'signup', email: 'New.Person@Example.com', password, name: 'New Person' });
    expect(res.status).toBe(302);
    const authCode = remember(new URL(res.headers.location).searchParams.get('code')!);
    const token = await exchange(authCode);
    remember(token.body.access_token);
    remember(token.body.refresh_token);
    const me = await userinfo(token.body.access_token);
    expect(me.body).toMatchObject({ email: 'new.person@example.com', name: 'New Person', cid: CLIENT_ID });

    const again = await submitSignIn(t.url, authorizeParams(), { intent: 'signup', email: 'new.person@example.com', password });
    expect(again.status).toBe(409);
    expect(again.headers.location).toBeUndefined();
    expect(again.text).toContain('already exists');

    const weak = await submitSignIn(t.url, authorizeParams(), { intent: 'signup', email: 'weak@example.com', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('at least 8 characters');

    // The new account signs in like any other.
    expect(await code({}, 'new.person@example.com', password)).toEqual(expect.any(String));
  });

  it('creates one account when the same email signs up several times at once', async () => {
    const password = remember('concurrent-signup-pw');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => submitSignIn(t.url, authorizeParams(), { intent: 'signup', email: 'twice@example.com', password })),
    );
    results.filter((res) => res.status === 302).forEach((res) => remember(new URL(res.headers.location).searchParams.get('code')!));
    expect(results.filter((res) => res.status === 302)).toHaveLength(1);
    expect(results.filter((res) => res.status === 409)).toHaveLength(4);
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM oauth_users WHERE email = 'twice@example.com'`);
    expect(Number(n)).toBe(1);
  });

  it('throttles sign-in: after 5 wrong passwords for an email, attempts are refused for a while', async () => {
    const email = 'victim@example.com';
    const password = remember('victim-password-1');
    await submitSignIn(t.url, authorizeParams(), { intent: 'signup', email, password });

    for (let i = 0; i < 5; i++) {
      const res = await submitSignIn(t.url, authorizeParams(), { email, password: `guess-${i}` });
      expect(res.status).toBe(401);
    }
    // Even the right password is refused now, with a clear message.
    const refused = await submitSignIn(t.url, authorizeParams(), { email, password });
    expect(refused.status).toBe(429);
    expect(refused.headers.location).toBeUndefined();
    expect(refused.text).toMatch(/Too many wrong passwords for this email.*try again in 15 minutes/);
    // Only that email is affected.
    expect(await code()).toEqual(expect.any(String));

    // Once the failures are older than 15 minutes, the right password works again.
    const clock = t.app.get(OAuthClock);
    const now = Date.now();
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(now + 15 * 60_000 + 1000));
    expect(await code({}, email, password)).toEqual(expect.any(String));
  });

  it('throttles concurrent guesses too: at most 5 passwords are checked', async () => {
    const email = 'sprayed@example.com';
    await submitSignIn(t.url, authorizeParams(), { intent: 'signup', email, password: remember('sprayed-password-1') });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => submitSignIn(t.url, authorizeParams(), { email, password: `parallel-guess-${i}` })),
    );
    expect(results.filter((res) => res.status === 401)).toHaveLength(5);
    expect(results.filter((res) => res.status === 429)).toHaveLength(7);
  });

  describe('userinfo', () => {
    it('answers 401 without a token, with an unknown one, or with an expired one', async () => {
      expect((await request(t.url).get('/api/oauth2/userinfo')).status).toBe(401);
      const unknown = await userinfo('not-a-token');
      expect(unknown.status).toBe(401);
      expect(unknown.body.error).toBe('invalid_token');

      const { access_token } = await tokens();
      const clock = t.app.get(OAuthClock);
      const now = Date.now();
      jest.spyOn(clock, 'now').mockImplementation(() => new Date(now + (t.config.accessTokenTtlSeconds + 1) * 1000));
      expect((await userinfo(access_token)).status).toBe(401);
    });
  });

  describe('revocation (RFC 7009)', () => {
    const post = (body: Record<string, string>, auth?: { id: string; secret: string }) => {
      let req = request(t.url).post('/api/oauth2/revoke').type('form');
      if (auth) req = req.set('Authorization', `Basic ${Buffer.from(`${auth.id}:${auth.secret}`).toString('base64')}`);
      return req.send(body);
    };

    it('revokes an access token; the API stops accepting it once the userinfo cache TTL has passed', async () => {
      const { access_token, refresh_token } = await tokens();
      expect((await createTodo(access_token)).status).toBe(200);

      const res = await post({ token: access_token, token_type_hint: 'access_token', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
      expect(res.status).toBe(200);
      expect((await userinfo(access_token)).status).toBe(401);
      expect((await refresh(refresh_token)).body.error).toBe('invalid_grant');

      // USERINFO_CACHE_TTL_SECONDS=1: wait past it, then the guard asks again and is refused.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const after = await createTodo(access_token);
      expect(after.status).toBe(401);
    });

    it('revokes a refresh token with Basic client authentication', async () => {
      const { access_token, refresh_token } = await tokens();
      const res = await post({ token: refresh_token, token_type_hint: 'refresh_token' }, { id: CLIENT_ID, secret: CLIENT_SECRET });
      expect(res.status).toBe(200);
      expect((await refresh(refresh_token)).body.error).toBe('invalid_grant');
      expect((await userinfo(access_token)).status).toBe(401);
    });

    it('answers 200 for an unknown token, and 401 invalid_client for a wrong secret', async () => {
      expect((await post({ token: 'nothing-like-this', client_id: CLIENT_ID, client_secret: CLIENT_SECRET })).status).toBe(200);
      const { access_token } = await tokens();
      const wrong = await post({ token: access_token, client_id: CLIENT_ID, client_secret: 'wrong' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toBe('invalid_client');
      expect((await userinfo(access_token)).status).toBe(200);
    });

    it('does not let one client revoke another client’s token', async () => {
      const other = await t.app.get(OAuthClientsService).create({ redirectUris: [CHATGPT_CALLBACK] });
      remember(other.clientSecret);
      const { access_token } = await tokens();
      const res = await post({ token: access_token, client_id: other.client.clientId, client_secret: other.clientSecret });
      expect(res.status).toBe(200);
      expect((await userinfo(access_token)).status).toBe(200);
    });
  });

  it('applies a registered client’s own API call limit, and a change to it at once', async () => {
    const clients = t.app.get(OAuthClientsService);
    const limited = await clients.create({ clientId: 'limited-gpt', redirectUris: [CHATGPT_CALLBACK], apiCallLimit: 2 });
    remember(limited.clientSecret);
    const authCode = remember((await signInForCode(t.url, { ...authorizeParams(), client_id: 'limited-gpt' }, EMAIL, PASSWORD)).code);
    const token = await tokenRequest(
      t.url,
      { grant_type: 'authorization_code', code: authCode, redirect_uri: CHATGPT_CALLBACK },
      { clientId: 'limited-gpt', clientSecret: limited.clientSecret, auth: 'basic' },
    );
    expect(token.status).toBe(200);
    const access = remember(token.body.access_token as string);
    remember(token.body.refresh_token);

    const first = await createTodo(access);
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('2');
    expect((await createTodo(access)).status).toBe(200);
    const third = await createTodo(access);
    expect(third.status).toBe(429);

    // The limit is read from memory on the hot path: a change behind the service's back (another
    // instance, a manual UPDATE) is not seen until the cache entry expires...
    await t.dataSource.query(`UPDATE oauth_clients SET api_call_limit = 1000 WHERE id = 'limited-gpt'`);
    expect((await createTodo(access)).status).toBe(429);
    // ...while a change through the service applies at once.
    await clients.update('limited-gpt', { apiCallLimit: 3 });
    const fourth = await createTodo(access);
    expect(fourth.status).toBe(200);
    expect(fourth.headers['ratelimit-limit']).toBe('3');
    expect(fourth.headers['ratelimit-remaining']).toBe('0');
  });

  it('ignores authorization parameters it does not know', async () => {
    const params = { ...authorizeParams(), prompt: 'consent', access_type: 'offline', nonce: 'n-1' } as AuthorizeRequest;
    expect((await authorizePage(t.url, params)).status).toBe(200);
    const { code: authCode } = await signInForCode(t.url, params, EMAIL, PASSWORD);
    const res = await exchange(remember(authCode));
    expect(res.status).toBe(200);
    remember(res.body.access_token);
    remember(res.body.refresh_token);
  });

  describe('client registry (OAuthClientsService, for the admin API and CLI)', () => {
    it('creates, lists, updates, rotates and deletes clients, never exposing a secret hash', async () => {
      const clients = t.app.get(OAuthClientsService);
      const created = await clients.create({ clientId: 'registry-gpt', name: 'Registry GPT', redirectUris: ['https://example.com/cb/*'] });
      remember(created.clientSecret);
      expect(created.client).toEqual({
        clientId: 'registry-gpt',
        name: 'Registry GPT',
        redirectUris: ['https://example.com/cb/*'],
        apiCallLimit: null,
        createdAt: expect.any(Date),
        updatedAt: expect.any(Date),
      });
      expect(JSON.stringify(await clients.list())).not.toMatch(/secret/i);
      expect((await clients.list()).map((client) => client.clientId)).toEqual(expect.arrayContaining([CLIENT_ID, 'registry-gpt']));

      await expect(clients.create({ clientId: 'registry-gpt', redirectUris: ['https://example.com/cb'] })).rejects.toThrow(OAuthClientExistsError);
      await expect(clients.update('registry-gpt', { redirectUris: ['https://*.example.com/cb'] })).rejects.toMatchObject({
        name: 'InvalidOAuthClientError',
        field: 'redirectUris',
      });
      await expect(clients.update('registry-gpt', { apiCallLimit: -1 })).rejects.toMatchObject({ field: 'apiCallLimit' });
      await expect(clients.update('nobody', { name: 'x' })).rejects.toThrow(OAuthClientNotFoundError);
      expect((await clients.update('registry-gpt', { name: 'Renamed', apiCallLimit: 7 })).apiCallLimit).toBe(7);

      const racing = await Promise.allSettled(
        Array.from({ length: 5 }, () => clients.create({ clientId: 'racing-gpt', redirectUris: ['https://example.com/cb'] })),
      );
      racing.forEach((result) => result.status === 'fulfilled' && remember(result.value.clientSecret));
      expect(racing.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(racing.filter((result) => result.status === 'rejected' && result.reason instanceof OAuthClientExistsError)).toHaveLength(4);

      // Sign in through it, then rotate: the old secret stops working, the new one works.
      const redirect = 'https://example.com/cb/x1';
      const signIn = () => signInForCode(t.url, { client_id: 'registry-gpt', redirect_uri: redirect }, EMAIL, PASSWORD);
      const exchangeWith = async (secret: string) =>
        tokenRequest(
          t.url,
          { grant_type: 'authorization_code', code: remember((await signIn()).code), redirect_uri: redirect },
          { clientId: 'registry-gpt', clientSecret: secret, auth: 'body' },
        );
      const rotated = await clients.rotateSecret('registry-gpt');
      remember(rotated.clientSecret);
      expect((await exchangeWith(created.clientSecret)).status).toBe(401);
      const token = await exchangeWith(rotated.clientSecret);
      expect(token.status).toBe(200);
      remember(token.body.access_token);
      remember(token.body.refresh_token);
      expect((await userinfo(token.body.access_token)).status).toBe(200);

      // Deleting the client ends its users' tokens and its sign-in page.
      expect(await clients.delete('registry-gpt')).toBe(true);
      expect(await clients.get('registry-gpt')).toBeNull();
      expect((await userinfo(token.body.access_token)).status).toBe(401);
      expect((await authorizePage(t.url, { client_id: 'registry-gpt', redirect_uri: redirect })).status).toBe(400);
    });
  });

  it('keeps no secret in clear text: not in the database, not in the logs', async () => {
    await t.drainLogs();
    expect(secrets.size).toBeGreaterThan(20);
    const tables = ['oauth_clients', 'oauth_users', 'oauth_authorization_codes', 'oauth_tokens', 'api_call_logs'];
    const dump = JSON.stringify(await Promise.all(tables.map((table) => t.dataSource.query(`SELECT * FROM ${table}`))));
    const file = t.database.file;
    const bytes = file ? [file, `${file}-wal`].filter(existsSync).map((path) => readFileSync(path).toString('latin1')).join('') : '';
    if (file) expect(bytes.length).toBeGreaterThan(0);
    const printed = output.text;
    expect(logs.text.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(dump).not.toContain(secret);
      if (file) expect(bytes).not.toContain(secret);
      expect(logs.text).not.toContain(secret);
      expect(printed).not.toContain(secret);
    }
    // The password is stored as scrypt, the client secret as SHA-256.
    const [user] = await t.dataSource.query(`SELECT password_hash FROM oauth_users WHERE email = '${EMAIL}'`);
    expect(user.password_hash).toMatch(/^scrypt\$/);
  });
});

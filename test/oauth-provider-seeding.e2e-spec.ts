import { jest } from '@jest/globals';
import request from 'supertest';
import { OAuthClock } from '../src/oauth-provider/clock.js';
import { OAuthHousekeeping } from '../src/oauth-provider/oauth-housekeeping.js';
import { ConfigError, loadConfig } from '../src/config/app-config.js';
import { freePort } from './support/free-port.js';
import { LogLines } from './support/log-lines.js';
import { CHATGPT_CALLBACK, signInForCode, submitSignIn, tokenRequest } from './support/oauth-flow.js';
import { OutputCapture } from './support/output-capture.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Every log line of every start in this file, in one place: lines logged
 * outside a request (start-up) may reach the destination of an earlier app in
 * the same process, as nestjs-pino keeps one root logger per process.
 */
const logs = new LogLines();

/** One start of the app on the shared database, with what it printed. */
async function start(database: TestDatabase, env: Record<string, string> = {}): Promise<{ t: TestApp; printed: string }> {
  const output = new OutputCapture().start();
  try {
    const t = await startTestApp({
      database,
      logDestination: logs,
      // Empty: generated on the start that creates them, as on a fresh install.
      env: { LOG_LEVEL: 'info', OAUTH_CLIENT_SECRET: '', DEMO_USER_PASSWORD: '', ...env },
    });
    return { t, printed: output.text };
  } finally {
    output.stop();
  }
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Signs in as ChatGPT would and exchanges the code; returns the token response status. */
async function flow(t: TestApp, clientSecret: string, password: string, email = 'demo@example.com', redirectUri = CHATGPT_CALLBACK) {
  const { code } = await signInForCode(t.url, { client_id: 'demo-gpt', redirect_uri: redirectUri, state: 's1' }, email, password);
  return tokenRequest(
    t.url,
    { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
    { clientId: 'demo-gpt', clientSecret, auth: 'basic' },
  );
}

describe('seeding the demo client and user', () => {
  let database: TestDatabase;
  let secret: string;
  let password: string;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('on the first start, creates both and prints the generated secret and password once, with the GPT editor settings', async () => {
    const { t, printed } = await start(database);
    try {
      const secretMatch = /Client Secret:\s+(\S+)/.exec(printed);
      const passwordMatch = /Password:\s+(\S+)/.exec(printed);
      expect(secretMatch).not.toBeNull();
      expect(passwordMatch).not.toBeNull();
      secret = secretMatch![1];
      password = passwordMatch![1];
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(occurrences(printed, secret)).toBe(1);
      expect(occurrences(printed, password)).toBe(1);
      expect(printed).toMatch(/Client ID:\s+demo-gpt/);
      expect(printed).toContain(`Authorization URL:      ${t.config.publicUrl}/api/oauth2/authorize`);
      expect(printed).toContain(`Token URL:              ${t.config.publicUrl}/api/oauth2/token`);
      expect(printed).toMatch(/Email:\s+demo@example\.com/);
      // The log stream (what a log system keeps) never sees them.
      expect(logs.text).toContain('Created OAuth client');
      expect(logs.text).not.toContain(secret);
      expect(logs.text).not.toContain(password);

      // They are the real thing.
      const res = await flow(t, secret, password);
      expect(res.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('on a later start, prints nothing secret and keeps both', async () => {
    const { t, printed } = await start(database);
    try {
      expect(printed).not.toContain('Client Secret');
      expect(printed).not.toContain(secret);
      expect(printed).not.toContain(password);
      expect(logs.text).not.toContain(secret);
      expect(logs.text).not.toContain(password);
      expect((await flow(t, secret, password)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('brings the client and user in line when the configuration changes, printing nothing secret', async () => {
    const env = {
      OAUTH_CLIENT_SECRET: 'configured-secret-0123456789',
      DEMO_USER_PASSWORD: 'configured-password-42',
      OAUTH_REDIRECT_URIS: 'https://gpt.example.com/callback/*',
    };
    const { t, printed } = await start(database, env);
    try {
      expect(printed).not.toContain('Client Secret');
      for (const value of [env.OAUTH_CLIENT_SECRET, env.DEMO_USER_PASSWORD, secret, password]) {
        expect(printed).not.toContain(value);
        expect(logs.text).not.toContain(value);
      }
      const messages = logs.lines.map((line) => line.msg);
      expect(messages).toContain('Updated the secret of OAuth client "demo-gpt" from OAUTH_CLIENT_SECRET');
      expect(messages).toContain('Updated the password of demo user demo@example.com from DEMO_USER_PASSWORD');

      const newRedirect = 'https://gpt.example.com/callback/abc';
      expect((await flow(t, env.OAUTH_CLIENT_SECRET, env.DEMO_USER_PASSWORD, undefined, newRedirect)).status).toBe(200);
      // The old secret, password and redirect URI no longer work.
      const oldSecret = await flow(t, secret, env.DEMO_USER_PASSWORD, undefined, newRedirect);
      expect(oldSecret.status).toBe(401);
      expect(oldSecret.body.error).toBe('invalid_client');
      const oldPassword = await submitSignIn(t.url, { client_id: 'demo-gpt', redirect_uri: newRedirect }, { email: 'demo@example.com', password });
      expect(oldPassword.status).toBe(401);
      const oldRedirect = await request(t.url)
        .get('/api/oauth2/authorize')
        .query({ response_type: 'code', client_id: 'demo-gpt', redirect_uri: CHATGPT_CALLBACK });
      expect(oldRedirect.status).toBe(400);
    } finally {
      await t.close();
    }
  });

  it.each([
    ['not a url', /OAUTH_REDIRECT_URIS has a bad entry: "not a url" is not an absolute URL/],
    ['https://*.example.com/cb', /OAUTH_REDIRECT_URIS .*only allowed as a whole path segment/],
    ['https://example.com/a*b/cb', /OAUTH_REDIRECT_URIS .*must be a whole path segment/],
    ['ftp://example.com/cb', /OAUTH_REDIRECT_URIS .*must use https/],
  ])('refuses OAUTH_REDIRECT_URIS=%s with an error naming the variable', (value, message) => {
    expect(() => loadConfig({ OAUTH_REDIRECT_URIS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ OAUTH_REDIRECT_URIS: value })).toThrow(message);
  });
});

describe('housekeeping', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { OAUTH_CLIENT_SECRET: 'housekeeping-secret-1', DEMO_USER_PASSWORD: 'housekeeping-pw-1' } });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  const count = async (table: string) => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('purges codes and tokens only once they can never be used again', async () => {
    const res = await flow(t, 'housekeeping-secret-1', 'housekeeping-pw-1');
    expect(res.status).toBe(200);
    const housekeeping = t.app.get(OAuthHousekeeping);

    await housekeeping.purge();
    expect(await count('oauth_tokens')).toBe(1);
    expect(await count('oauth_authorization_codes')).toBe(1);

    // Past the code's 10 minutes, but within the refresh token's life.
    const now = Date.now();
    jest.spyOn(t.app.get(OAuthClock), 'now').mockImplementation(() => new Date(now + 11 * 60_000));
    await housekeeping.purge();
    expect(await count('oauth_authorization_codes')).toBe(0);
    expect(await count('oauth_tokens')).toBe(1);

    jest.spyOn(t.app.get(OAuthClock), 'now').mockImplementation(() => new Date(now + (t.config.refreshTokenTtlSeconds + 1) * 1000));
    await housekeeping.purge();
    expect(await count('oauth_tokens')).toBe(0);
  });
});

describe('with ALLOW_SIGNUP=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ALLOW_SIGNUP: 'false', OAUTH_CLIENT_SECRET: 'no-signup-secret-1', DEMO_USER_PASSWORD: 'no-signup-pw-1' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('offers no sign-up form and refuses a sign-up post', async () => {
    const params = { client_id: 'demo-gpt', redirect_uri: CHATGPT_CALLBACK, state: 's' };
    const page = await request(t.url).get('/api/oauth2/authorize').query({ response_type: 'code', ...params });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('value="signup"');
    expect(page.text).not.toContain('Create an account');

    const res = await submitSignIn(t.url, params, { intent: 'signup', email: 'someone@example.com', password: 'long-enough-pw' });
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain('Sign-up is turned off');
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM oauth_users WHERE email = 'someone@example.com'`);
    expect(Number(n)).toBe(0);
    // Signing in still works.
    expect((await flow(t, 'no-signup-secret-1', 'no-signup-pw-1')).status).toBe(200);
  });
});

describe('the guard reading the built-in userinfo with USERINFO_USER_FIELD=sub', () => {
  let t: TestApp;
  beforeAll(async () => {
    const port = await freePort();
    t = await startTestApp({
      env: { PORT: String(port), USERINFO_USER_FIELD: 'sub', OAUTH_CLIENT_SECRET: 'sub-field-secret-1', DEMO_USER_PASSWORD: 'sub-field-pw-1' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('identifies the caller the same way', async () => {
    const token = await flow(t, 'sub-field-secret-1', 'sub-field-pw-1');
    expect(token.status).toBe(200);
    const me = await request(t.url).get('/api/oauth2/userinfo').set('Authorization', `Bearer ${token.body.access_token}`);
    const todo = await request(t.url).post('/api/todo-demo').set('Authorization', `Bearer ${token.body.access_token}`).send({ title: 'via sub' });
    expect(todo.status).toBe(200);
    expect(todo.body.userId).toBe(me.body.sub);
  });
});

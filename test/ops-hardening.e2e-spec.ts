import pg from 'pg';
import request from 'supertest';
import { LogLines } from './support/log-lines.js';
import { testEngine } from './support/test-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { UserinfoStub } from './support/userinfo-stub.js';

const ADMIN_KEY = 'hardening-admin-key-0123';

/** Holds writes to the todos table from another connection, so that a handler is slow for real. */
async function lockTodos(t: TestApp): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: t.database.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE todos IN ACCESS EXCLUSIVE MODE');
  return async () => {
    await client.query('COMMIT');
    await client.end();
  };
}

/** Polls until `probe` finds something; gives up after 20 s so that a test fails instead of hanging. */
async function until<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const giveUp = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > giveUp) throw new Error('gave up waiting');
    await new Promise((done) => setTimeout(done, 25));
  }
}

/**
 * Security headers, body limit, request timeout, trust proxy, CORS and the
 * per-IP limits on the sign-in and token endpoints, on one app configured
 * the way a deployment behind a load balancer is.
 */
describe('hardening', () => {
  let stub: UserinfoStub;
  let t: TestApp;
  const logs = new LogLines();

  beforeAll(async () => {
    stub = await new UserinfoStub().start();
    t = await startTestApp({
      env: {
        OAUTH_USERINFO_URL: stub.url,
        USERINFO_TIMEOUT_MS: '10000',
        USERINFO_CACHE_TTL_SECONDS: '0',
        REQUEST_TIMEOUT_MS: '400',
        TRUST_PROXY: 'loopback',
        SIGNIN_RATE_LIMIT_PER_MINUTE: '3',
        TOKEN_RATE_LIMIT_PER_MINUTE: '4',
        CORS_ORIGINS: 'https://chatgpt.com',
        PUBLIC_URL: 'https://gpt-api.example.com',
        ADMIN_API_KEY: ADMIN_KEY,
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
      },
      logDestination: logs,
    });
  });
  afterAll(async () => {
    await t?.close();
    await stub?.stop();
  });

  describe('security headers (helmet)', () => {
    it('sends a CSP that allows only the app itself, and lets the sign-in form post and redirect', async () => {
      const res = await request(t.url).get('/health').expect(200);
      const csp = Object.fromEntries(
        String(res.headers['content-security-policy'])
          .split(';')
          .map((directive) => directive.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      );
      expect(csp['default-src']).toEqual(["'self'"]);
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['connect-src']).toEqual(["'self'"]);
      expect(csp['form-action']).toEqual(["'self'", 'https:']);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('sends them on Swagger UI and the sign-in page too, which load nothing from elsewhere', async () => {
      const docs = await request(t.url).get('/docs/').redirects(1);
      expect(docs.status).toBe(200);
      expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
      // Every script and stylesheet of the page is served by the app itself.
      const sources = [...docs.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.filter((src) => /^(https?:)?\/\//.test(src))).toEqual([]);
      expect(docs.text).not.toMatch(/<script>(?!\s*<\/script>)/);

      const signIn = await request(t.url).get('/api/oauth2/authorize').query({
        response_type: 'code',
        client_id: t.config.oauthClientId,
        redirect_uri: 'https://chatgpt.com/aip/g-123/oauth/callback',
        state: 's',
      });
      expect(signIn.status).toBe(200);
      // The page may tighten the policy for itself; it must still let its form post and redirect.
      const pageCsp = String(signIn.headers['content-security-policy']);
      expect(pageCsp).toContain('default-src');
      const formAction = /form-action ([^;]+)/.exec(pageCsp)?.[1];
      if (formAction !== undefined) expect(formAction).toMatch(/'self'.*https:|https:.*'self'/);
      expect(signIn.text).not.toMatch(/<script[^>]*>[^<]+<\/script>/);
    });
  });

  describe('JSON body limit', () => {
    it('answers 413 with a JSON error for a body over 100 KB, and logs the protected call', async () => {
      const token = stub.user('tok-big', 'u-big', 'c-big');
      const res = await request(t.url)
        .post('/api/todos')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ title: 'x', description: 'y'.repeat(101 * 1024) }))
        .expect(413);
      expect(res.body).toEqual({ error: expect.stringMatching(/100 ?kb/i) });
      await t.drainLogs();
      const rows: Array<{ status: number; method: string; path: string }> = await t.dataSource.query(
        `SELECT status, method, path FROM api_call_logs WHERE request_id = '${res.headers['x-request-id']}'`,
      );
      expect(rows.map((row) => ({ ...row, status: Number(row.status) }))).toEqual([
        { status: 413, method: 'POST', path: '/api/todos' },
      ]);
    });

    it('accepts a body just under the limit', async () => {
      const token = stub.user('tok-under', 'u-under', 'c-under');
      await request(t.url)
        .post('/api/todos')
        .set('Authorization', `Bearer ${token}`)
        .send({ title: 'x', description: 'y'.repeat(1900) })
        .expect(201);
      const form = await request(t.url)
        .post('/api/oauth2/token')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: 'z'.repeat(101 * 1024) });
      expect(form.status).toBe(413);
      expect(form.body.error).toMatch(/100 ?kb/i);
    });
  });

  describe('request timeout', () => {
    it('answers 503 JSON when a request outlives REQUEST_TIMEOUT_MS, logs it, and never runs the handler late', async () => {
      const token = stub.user('tok-slow', 'u-slow', 'c-slow');
      stub.delayMs = 1200;
      try {
        const res = await request(t.url).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title: 'late' });
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ error: 'The request took longer than 400 ms and was abandoned; try again' });
        const requestId = res.headers['x-request-id'];
        await t.drainLogs();
        const rows: Array<{ status: number }> = await t.dataSource.query(
          `SELECT status FROM api_call_logs WHERE request_id = '${requestId}'`,
        );
        expect(rows.map((row) => Number(row.status))).toEqual([503]);

        // Once userinfo answers, the guard lets the request through: it must stop there.
        await until(() =>
          logs.withRequestId(requestId).find((line) => String(line.msg).includes('timed out before its handler ran')),
        );
        const todos: Array<{ n: number | string }> = await t.dataSource.query(
          `SELECT COUNT(*) AS n FROM todos WHERE user_id = 'u-slow'`,
        );
        expect(Number(todos[0].n)).toBe(0);
        const counts: Array<{ count: number }> = await t.dataSource.query(
          `SELECT count FROM api_call_counts WHERE user_id = 'u-slow'`,
        );
        expect(counts.map((row) => Number(row.count))).toEqual([]);
      } finally {
        stub.delayMs = 0;
      }
    });
  });

  describe('request timeout while the handler runs', () => {
    // Only PostgreSQL can hold a handler up without holding up the whole process: better-sqlite3
    // waits for a lock synchronously, so on SQLite no handler can outlive the timer.
    const onPostgres = testEngine() === 'postgres' ? it : it.skip;
    onPostgres('answers 503 once and drops the late answer quietly when the handler finishes after the timeout', async () => {
      const token = stub.user('tok-late', 'u-late', 'c-late');
      // Warm the path (token lookup, quota row) so only the todo insert waits on the lock.
      expect((await request(t.url).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title: 'warm' })).status).toBe(201);
      const release = await lockTodos(t);
      let released = false;
      const before = logs.raw.length;
      try {
        const pending = request(t.url).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title: 'late' });
        const answer = pending.then((res) => res);
        // The lock is let go only once the timeout has fired: the handler then finishes late.
        const timedOut = await until(() =>
          logs.lines
            .slice(before)
            .find((line) => line.context === 'RequestTimeout' && String(line.msg).startsWith('POST /api/todos still running')),
        );
        await release();
        released = true;
        const res = await answer;
        expect(res.status).toBe(503);
        const requestId = res.headers['x-request-id'];
        expect(timedOut.requestId).toBe(requestId);
        await until(() =>
          logs.withRequestId(requestId).find((line) => String(line.msg).includes('finished after its timeout')),
        );
        const lines = logs.withRequestId(requestId);
        expect(lines.filter((line) => line.res !== undefined)).toEqual([
          expect.objectContaining({ res: expect.objectContaining({ statusCode: 503 }) }),
        ]);
        // The 503 itself is logged at error level; nothing else went wrong (no reply onto a sent response).
        expect(lines.filter((line) => line.level === 'error' && line.res === undefined)).toEqual([]);
        expect(lines.find((line) => line.res !== undefined)!.err).toBeUndefined();
        await t.drainLogs();
        const rows: Array<{ status: number }> = await t.dataSource.query(
          `SELECT status FROM api_call_logs WHERE request_id = '${requestId}'`,
        );
        expect(rows.map((row) => Number(row.status))).toEqual([503]);
      } finally {
        if (!released) await release();
      }
    });
  });

  describe('rate limits on sign-in and token endpoints (per client IP, TRUST_PROXY honoured)', () => {
    it('refuses the fourth sign-in POST from one address within a minute, but not another address', async () => {
      const attempt = (ip: string, accept = 'application/json') =>
        request(t.url)
          .post('/api/oauth2/authorize')
          .set('X-Forwarded-For', ip)
          .set('Accept', accept)
          .type('form')
          .send({ email: 'nobody@example.com', password: 'wrong-password' });
      for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.7')).status).not.toBe(429);

      const refused = await attempt('203.0.113.7');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.error).toMatch(/^Too many sign-in attempts from this address: try again in \d+ seconds$/);

      const browser = await attempt('203.0.113.7', 'text/html,application/xhtml+xml');
      expect(browser.status).toBe(429);
      expect(browser.headers['content-type']).toMatch(/^text\/html/);
      expect(browser.text).toContain('Too many sign-in attempts');

      expect((await attempt('203.0.113.8')).status).not.toBe(429);
      // The log line names the address the load balancer reported.
      expect(logs.withRequestId(refused.headers['x-request-id']).find((l) => l.req)).toMatchObject({
        req: { ip: '203.0.113.7' },
      });
    });

    it('refuses the fifth token request from one address within a minute, with an OAuth-style JSON error', async () => {
      const attempt = () =>
        request(t.url)
          .post('/api/oauth2/token')
          .set('X-Forwarded-For', '198.51.100.20')
          .type('form')
          .send({ grant_type: 'authorization_code', code: 'nope', client_id: 'x', client_secret: 'y' });
      for (let i = 0; i < 4; i++) expect((await attempt()).status).not.toBe(429);
      const refused = await attempt();
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        error: 'too_many_requests',
        error_description: expect.stringMatching(/^Too many token requests from this address/),
      });
    });

    it('does not limit reading the sign-in page', async () => {
      for (let i = 0; i < 6; i++) {
        const res = await request(t.url).get('/api/oauth2/authorize').set('X-Forwarded-For', '203.0.113.7');
        expect(res.status).not.toBe(429);
      }
    });
  });

  describe('CORS', () => {
    it('allows the configured origins and the app itself, and no other', async () => {
      const preflight = await request(t.url)
        .options('/api/todos')
        .set('Origin', 'https://chatgpt.com')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://chatgpt.com');
      expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/i);

      const own = await request(t.url).get('/health').set('Origin', 'https://gpt-api.example.com');
      expect(own.headers['access-control-allow-origin']).toBe('https://gpt-api.example.com');

      const other = await request(t.url)
        .options('/api/todos')
        .set('Origin', 'https://evil.example.com')
        .set('Access-Control-Request-Method', 'POST');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const otherGet = await request(t.url).get('/health').set('Origin', 'https://chat.openai.com');
      // Not in this deployment's CORS_ORIGINS.
      expect(otherGet.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('hardening without TRUST_PROXY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { SIGNIN_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(() => t?.close());

  it('ignores X-Forwarded-For, so a client cannot escape the limit by inventing addresses', async () => {
    const attempt = (ip: string) =>
      request(t.url)
        .post('/api/oauth2/authorize')
        .set('X-Forwarded-For', ip)
        .set('Accept', 'application/json')
        .type('form')
        .send({ email: 'a@example.com', password: 'x' });
    expect((await attempt('192.0.2.1')).status).not.toBe(429);
    expect((await attempt('192.0.2.2')).status).not.toBe(429);
    expect((await attempt('192.0.2.3')).status).toBe(429);
  });
});

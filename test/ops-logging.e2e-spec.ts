import { Logger } from '@nestjs/common';
import request from 'supertest';
import { LogLines } from './support/log-lines.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { UserinfoStub } from './support/userinfo-stub.js';

/**
 * Structured logs as a log system receives them: one JSON object a line, the
 * request id on every line of a request, secrets never written.
 *
 * nestjs-pino keeps one HTTP logger per process, so this file starts one app.
 */
describe('structured logs', () => {
  let stub: UserinfoStub;
  let t: TestApp;
  const logs = new LogLines();

  beforeAll(async () => {
    stub = await new UserinfoStub().start();
    t = await startTestApp({
      env: {
        OAUTH_USERINFO_URL: stub.url,
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'json',
        DEMO_USER_EMAIL: 'log-demo@example.com',
        DEMO_USER_PASSWORD: 'log-demo-password-1',
      },
      logDestination: logs,
    });
  });
  afterAll(async () => {
    await t?.close();
    await stub?.stop();
  });

  it('writes one JSON object a line, with an ISO time and a level name', async () => {
    await request(t.url).get('/health').expect(200);
    expect(logs.raw.length).toBeGreaterThan(0);
    for (const line of logs.lines) {
      expect(typeof line.level).toBe('string');
      expect(new Date(line.time as string).toISOString()).toBe(line.time);
    }
  });

  it('puts the X-Request-Id header value on every line of the request, and answers it', async () => {
    const token = stub.user('tok-log-1', 'u-log', 'c-log');
    const res = await request(t.url)
      .post('/api/todos')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'log me' })
      .expect(201);
    const requestId = res.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const lines = logs.withRequestId(requestId);
    // One line per response, not one per logger layer.
    expect(lines.filter((line) => line.res !== undefined)).toHaveLength(1);
    const completed = lines.find((line) => (line.res as { statusCode?: number } | undefined)?.statusCode === 201);
    expect(completed).toMatchObject({
      level: 'info',
      requestId,
      msg: 'POST /api/todos 201',
      req: { method: 'POST', url: '/api/todos' },
    });
    expect(typeof completed!.durationMs).toBe('number');
  });

  it('keeps a caller-supplied request id, so a trace can follow a request across services', async () => {
    await request(t.url).get('/health').set('X-Request-Id', 'lb-trace-42').expect('X-Request-Id', 'lb-trace-42');
    expect(logs.withRequestId('lb-trace-42').length).toBeGreaterThan(0);
  });

  it('binds the request id to lines the app logs itself while serving the request', async () => {
    // A userinfo endpoint that fails makes the guard log an error from inside the request.
    const token = stub.set('tok-log-down', { kind: 'status', status: 503 });
    stub.set('tok-log-reset', { kind: 'reset' });
    const res = await request(t.url).get('/api/todos').set('Authorization', 'Bearer tok-log-reset').expect(500);
    const requestId = res.headers['x-request-id'];
    const guardLine = logs
      .withRequestId(requestId)
      .find((line) => line.context === 'OAuthGuard' && String(line.msg).includes('Cannot validate access tokens'));
    expect(guardLine).toMatchObject({ level: 'error', requestId });
    expect(token).toBe('tok-log-down');
  });

  it('never writes the Authorization header, cookies, tokens in the URL, or secret fields', async () => {
    const token = stub.user('tok-very-secret-abc123', 'u-sec', 'c-sec');
    const before = logs.raw.length;
    await request(t.url)
      .get('/api/todos?access_token=query-secret-xyz&limit=5')
      .set('Authorization', `Bearer ${token}`)
      .set('Cookie', 'session=cookie-secret-987')
      // The unknown query parameter gets a 400; what matters is what the log line says.
      .expect(400);
    await request(t.url).get('/docs/oauth2-redirect.html?code=auth-code-secret-555&state=s1');

    const logger = new Logger('RedactionProbe');
    logger.log({ password: 'pw-secret-1', client_secret: 'cs-secret-2', nested: { refresh_token: 'rt-secret-3' } }, 'probe');
    logger.warn({ user: { accessToken: 'at-secret-4', token: 'tk-secret-5' } }, 'probe 2');

    const written = logs.raw.slice(before).join('\n');
    for (const secret of [
      'tok-very-secret-abc123',
      'cookie-secret-987',
      'query-secret-xyz',
      'auth-code-secret-555',
      'pw-secret-1',
      'cs-secret-2',
      'rt-secret-3',
      'at-secret-4',
      'tk-secret-5',
    ]) {
      expect(written).not.toContain(secret);
    }
    // Masked, not dropped: the line still shows that a credential was sent.
    const line = logs.lines.slice(before).find((l) => String(l.msg).startsWith('GET /api/todos?'));
    expect(line).toMatchObject({
      req: { headers: { authorization: '[REDACTED]', cookie: '[REDACTED]' } },
      msg: 'GET /api/todos?access_token=%5BREDACTED%5D&limit=5 400',
    });
    expect(logs.lines.find((l) => l.msg === 'probe')).toMatchObject({ password: '[REDACTED]', client_secret: '[REDACTED]' });
  });

  it('never writes the authorization code of a sign-in redirect, nor the password posted', async () => {
    const res = await request(t.url).post('/api/oauth2/authorize').type('form').send({
      response_type: 'code',
      client_id: t.config.oauthClientId,
      redirect_uri: 'https://chatgpt.com/aip/g-log/oauth/callback',
      state: 'st-log',
      scope: '',
      email: 'log-demo@example.com',
      password: 'log-demo-password-1',
    });
    expect(res.status).toBe(302);
    const code = new URL(res.headers.location).searchParams.get('code')!;
    expect(code.length).toBeGreaterThan(10);
    const line = logs.withRequestId(res.headers['x-request-id']).find((l) => l.res !== undefined);
    expect(line).toMatchObject({ msg: 'POST /api/oauth2/authorize 302', res: { headers: { location: '[REDACTED]' } } });
    expect(logs.text).not.toContain(code);
    expect(logs.text).not.toContain('log-demo-password-1');
  });

  it('logs a request that the body parser rejects before routing (413)', async () => {
    const res = await request(t.url)
      .post('/api/todos')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ title: 'x'.repeat(200 * 1024) }))
      .expect(413);
    const line = logs.withRequestId(res.headers['x-request-id']).find((l) => l.res !== undefined);
    expect(line).toMatchObject({ level: 'warn', msg: 'POST /api/todos 413' });
  });

  it('logs 4xx answers as warn and 5xx as error', async () => {
    const res = await request(t.url).get('/api/todos').expect(401);
    const line = logs.withRequestId(res.headers['x-request-id']).find((l) => l.res !== undefined);
    expect(line).toMatchObject({ level: 'warn', res: { statusCode: 401 } });
  });
});

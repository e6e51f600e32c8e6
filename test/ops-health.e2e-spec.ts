import request from 'supertest';
import { GracefulShutdown } from '../src/lifecycle/graceful-shutdown.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { UserinfoStub } from './support/userinfo-stub.js';

/** GET /health (database decides, userinfo reported beside it), /health/live and /health/ready. */
describe('health', () => {
  let stub: UserinfoStub;
  let t: TestApp;

  beforeAll(async () => {
    stub = await new UserinfoStub().start();
    t = await startTestApp({ env: { OAUTH_USERINFO_URL: stub.url } });
  });
  afterAll(async () => {
    await t?.close();
    await stub?.stop();
  });

  it('reports database and userinfo separately; a userinfo that answers 401 to no token is up', async () => {
    stub.fallback = { kind: 'status', status: 401 };
    const before = stub.lookupCount();
    const res = await request(t.url).get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: 'up',
      userinfo: 'up',
      details: {
        database: { status: 'up', responseTime: expect.any(Number) },
        userinfo: { status: 'up', statusCode: 401 },
      },
    });
    expect(stub.lookupCount()).toBe(before + 1);
  });

  it('stays 200 with userinfo down when the identity provider fails or cannot be reached', async () => {
    stub.fallback = { kind: 'status', status: 502 };
    const failing = await request(t.url).get('/health').expect(200);
    expect(failing.body).toMatchObject({
      status: 'ok',
      database: 'up',
      userinfo: 'down',
      details: { userinfo: { message: 'userinfo answered 502' } },
    });

    stub.fallback = { kind: 'reset' };
    const unreachable = await request(t.url).get('/health').expect(200);
    expect(unreachable.body).toMatchObject({ status: 'ok', userinfo: 'down' });
    expect(unreachable.body.details.userinfo.message).toMatch(/^userinfo is unreachable \(/);
    stub.fallback = { kind: 'status', status: 401 };
  });

  it('answers liveness without touching a dependency, and readiness like /health', async () => {
    await request(t.url).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(t.url).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('keeps the health endpoints out of the GPT document', async () => {
    const doc = await request(t.url).get('/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths).filter((path) => path.startsWith('/health'))).toEqual([]);
  });
});

describe('health when things go wrong', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('turns readiness 503 once shutdown has begun, while liveness and /health still answer', async () => {
    t.app.get(GracefulShutdown).beforeApplicationShutdown('SIGTERM');
    const ready = await request(t.url).get('/health/ready').expect(503);
    expect(ready.body).toEqual({ error: 'Shutting down: not accepting new work', status: 'error' });
    await request(t.url).get('/health/live').expect(200);
    await request(t.url).get('/health').expect(200);
  });

  it('answers 503 on /health and /health/ready when the database does not answer; liveness stays 200', async () => {
    await t.dataSource.destroy();
    const res = await request(t.url).get('/health').expect(503);
    expect(res.body).toMatchObject({
      error: 'Database is not reachable',
      status: 'error',
      database: 'down',
      details: { database: { status: 'down' } },
    });
    await request(t.url).get('/health/ready').expect(503);
    await request(t.url).get('/health/live').expect(200, { status: 'ok' });
  });
});

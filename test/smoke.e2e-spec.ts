import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { UserinfoStub } from './support/userinfo-stub.js';

describe('smoke', () => {
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

  it('creates a todo', async () => {
    const token = stub.user('tok-1', 'u1', 'c1');
    const res = await request(t.url).post('/api/todo-demo').set('Authorization', `Bearer ${token}`).send({ title: 'a' });
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('a');
  });
});

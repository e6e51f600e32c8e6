import { readFileSync } from 'node:fs';
import request from 'supertest';
import { QUOTA_EXCEEDED_MESSAGE } from '../src/quota/quota-exceeded.exception.js';
import { OutputCapture } from './support/output-capture.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { UserinfoStub } from './support/userinfo-stub.js';

/**
 * The protected todo API end to end: a real app (same factory as main.ts) on a
 * fresh database, and a real userinfo server on 127.0.0.1 that the test drives.
 */

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface LogRow {
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  user_id: string | null;
  client_id: string | null;
  api_call_count: number | null;
  request_body: string | null;
  response_body: string | null;
  created_at: string | Date;
}

async function logRows(t: TestApp, where = '1 = 1'): Promise<LogRow[]> {
  return t.dataSource.query(`SELECT * FROM api_call_logs WHERE ${where} ORDER BY id`);
}

async function countOf(t: TestApp, userId: string, clientId: string): Promise<number> {
  const rows: Array<{ count: number }> = await t.dataSource.query(
    `SELECT count FROM api_call_counts WHERE user_id = '${userId}' AND client_id = '${clientId}'`,
  );
  return rows.length === 0 ? 0 : Number(rows[0].count);
}

async function todoCount(t: TestApp, userId: string): Promise<number> {
  const rows: Array<{ n: number | string }> = await t.dataSource.query(
    `SELECT COUNT(*) AS n FROM todos WHERE user_id = '${userId}'`,
  );
  return Number(rows[0].n);
}

describe('protected todo API', () => {
  let stub: UserinfoStub;
  let t: TestApp;

  beforeAll(async () => {
    stub = await new UserinfoStub().start();
    t = await startTestApp({
      env: {
        OAUTH_USERINFO_URL: stub.url,
        USERINFO_TIMEOUT_MS: '400',
        API_USAGE_LIMITS_BY_CLIENT_ID: JSON.stringify({ 'small-gpt': 3, 'status-gpt': 4, 'race-gpt': 20, 'big-gpt': 1000 }),
        DEFAULT_API_USAGE_LIMIT: '2',
        ADMIN_API_KEY: 'admin-key-0123456789',
      },
    });
  });

  afterAll(async () => {
    await t?.close();
    await stub?.stop();
  });

  describe('OAuthGuard', () => {
    it('answers a CORS preflight with 204 and CORS headers, without auth or a lookup', async () => {
      const before = stub.lookupCount();
      const res = await request(t.url)
        .options('/api/todos')
        .set('Origin', 'https://chatgpt.com')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://chatgpt.com');
      expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/i);
      expect(stub.lookupCount()).toBe(before);
    });

    it('refuses a request without Authorization: 401, JSON error, no lookup, nothing charged', async () => {
      const before = stub.lookupCount();
      const res = await request(t.url).post('/api/todos').send({ title: 'x' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.error).toMatch(/Authorization/);
      expect(stub.lookupCount()).toBe(before);
      const counts = await t.dataSource.query('SELECT COUNT(*) AS n FROM api_call_counts');
      expect(Number(counts[0].n)).toBe(0);
    });

    it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer  ', 'token abc', 'Bearer a b'])(
      'refuses Authorization "%s" with 401',
      async (header) => {
        const res = await request(t.url).get('/api/todos').set('Authorization', header);
        expect(res.status).toBe(401);
        expect(typeof res.body.error).toBe('string');
      },
    );

    it.each([401, 403, 404, 500, 503])('answers 401 when userinfo answers %i', async (status) => {
      const token = stub.set(`rejected-${status}`, { kind: 'status', status });
      const res = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'x' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'Invalid or expired access token' });
    });

    it('answers 401 when userinfo has no user id field', async () => {
      const token = stub.set('no-id', { kind: 'user', claims: { sub: 'someone', cid: 'big-gpt' } });
      const res = await request(t.url).get('/api/todos').set(bearer(token));
      expect(res.status).toBe(401);
    });

    it('answers 500 when userinfo resets the connection', async () => {
      const token = stub.set('reset', { kind: 'reset' });
      const res = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'x' });
      expect(res.status).toBe(500);
      expect(res.body.error).toMatch(/identity provider is unavailable/);
    });

    it('answers 500 when userinfo hangs past USERINFO_TIMEOUT_MS', async () => {
      const token = stub.set('hang', { kind: 'hang' });
      const res = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'x' });
      expect(res.status).toBe(500);
      expect(res.body.error).toMatch(/identity provider is unavailable/);
    });

    it('sends the token to userinfo as a bearer token and attaches the user it names', async () => {
      const token = stub.user('attach-token', 'user-attach', 'big-gpt');
      const res = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'mine' });
      expect(res.status).toBe(201);
      expect(res.body.userId).toBe('user-attach');
      expect(stub.headers).toContain('Bearer attach-token');
    });

    it('does not charge quota for any guard failure', async () => {
      const rows = await t.dataSource.query(
        `SELECT COUNT(*) AS n FROM api_call_counts WHERE user_id IN ('someone')`,
      );
      expect(Number(rows[0].n)).toBe(0);
    });
  });

  describe('userinfo cache', () => {
    it('looks a token up once, then reuses it within the TTL', async () => {
      const token = stub.user('cached-token', 'user-cache', 'big-gpt');
      for (let i = 0; i < 5; i++) {
        const res = await request(t.url).get('/api/todos').set(bearer(token));
        expect(res.status).toBe(200);
      }
      expect(stub.lookupCount(token)).toBe(1);
    });

    it('makes one lookup for 25 concurrent requests with the same new token', async () => {
      const token = stub.user('burst-token', 'user-burst', 'big-gpt');
      stub.delayMs = 150;
      try {
        const responses = await Promise.all(
          Array.from({ length: 25 }, () => request(t.url).get('/api/todos').set(bearer(token))),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(25).fill(200));
      } finally {
        stub.delayMs = 0;
      }
      expect(stub.lookupCount(token)).toBe(1);
    });

    it('does not cache a rejected token', async () => {
      const token = stub.set('rejected-twice', { kind: 'status', status: 401 });
      await request(t.url).get('/api/todos').set(bearer(token)).expect(401);
      await request(t.url).get('/api/todos').set(bearer(token)).expect(401);
      expect(stub.lookupCount(token)).toBe(2);
    });
  });

  describe('QuotaInterceptor', () => {
    it('allows the client its limit, then answers 429 with the exact message; headers on every response', async () => {
      const token = stub.user('small-token', 'user-small', 'small-gpt');
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: `t${i}` });
        expect(res.status).toBe(201);
        expect(res.headers['ratelimit-limit']).toBe('3');
        remaining.push(res.headers['ratelimit-remaining']);
      }
      expect(remaining).toEqual(['2', '1', '0']);

      const refused = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'one more' });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe(QUOTA_EXCEEDED_MESSAGE);
      expect(refused.body.error).toBe('You have reached the maximum number of free API calls.');
      expect(refused.headers['ratelimit-limit']).toBe('3');
      expect(refused.headers['ratelimit-remaining']).toBe('0');
      expect(await countOf(t, 'user-small', 'small-gpt')).toBe(3);
      expect(await todoCount(t, 'user-small')).toBe(3);
    });

    it('counts per (user, client): another user of the same client has a quota of its own', async () => {
      const token = stub.user('small-token-2', 'user-small-2', 'small-gpt');
      const res = await request(t.url).get('/api/todos').set(bearer(token));
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-remaining']).toBe('2');
    });

    it('applies DEFAULT_API_USAGE_LIMIT to a client in no map', async () => {
      const token = stub.user('default-token', 'user-default', 'unlisted-gpt');
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push((await request(t.url).get('/api/todos').set(bearer(token))).status);
      }
      expect(statuses).toEqual([200, 200, 429]);
    });

    it('does not charge a 400', async () => {
      const token = stub.user('bad-body-token', 'user-bad-body', 'big-gpt');
      const ok = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'good' });
      expect(ok.headers['ratelimit-remaining']).toBe('999');
      const bad = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 42 });
      expect(bad.status).toBe(400);
      expect(bad.headers['ratelimit-limit']).toBe('1000');
      expect(bad.headers['ratelimit-remaining']).toBe('999');
      expect(await countOf(t, 'user-bad-body', 'big-gpt')).toBe(1);
    });

    it('does not charge a 404', async () => {
      const token = stub.user('nf-token', 'user-nf', 'big-gpt');
      const res = await request(t.url)
        .get('/api/todos/00000000-0000-4000-8000-000000000000')
        .set(bearer(token));
      expect(res.status).toBe(404);
      expect(await countOf(t, 'user-nf', 'big-gpt')).toBe(0);
    });

    it('answers a failed insert with 500 "Failed to create todo item" and charges nothing', async () => {
      const token = stub.user('fail-token', 'user-fail', 'big-gpt');
      await failInsertsTitled(t, 'explode');
      try {
        const res = await request(t.url).post('/api/todo-demo').set(bearer(token)).send({ title: 'explode' });
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: 'Failed to create todo item' });
        expect(res.headers['ratelimit-remaining']).toBe('1000');
      } finally {
        await stopFailingInserts(t);
      }
      expect(await countOf(t, 'user-fail', 'big-gpt')).toBe(0);
      expect(await todoCount(t, 'user-fail')).toBe(0);
    });

    it('lets exactly 20 of 100 concurrent creates through against a limit of 20', async () => {
      const token = stub.user('race-token', 'user-race', 'race-gpt');
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          request(t.url).post('/api/todos').set(bearer(token)).send({ title: `race ${i}` }),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(20);
      expect(statuses.filter((s) => s === 429)).toHaveLength(80);
      expect(await todoCount(t, 'user-race')).toBe(20);
      expect(await countOf(t, 'user-race', 'race-gpt')).toBe(20);
      const logged = await logRows(t, `user_id = 'user-race'`);
      expect(logged).toHaveLength(100);
      expect(logged.filter((r) => r.status === 201)).toHaveLength(20);
      expect(logged.filter((r) => r.status === 429)).toHaveLength(80);
    });
  });

  describe('LoggingInterceptor', () => {
    it('stores the row before the response leaves', async () => {
      const token = stub.user('log-token', 'user-log', 'big-gpt');
      // No drain: the row must already be there when the client has the response.
      for (let i = 0; i < 10; i++) {
        const res = await request(t.url).post('/api/todo-demo').set(bearer(token)).send({ title: `log ${i}` });
        expect(res.status).toBe(200);
        const rows = await logRows(t, `user_id = 'user-log'`);
        expect(rows).toHaveLength(i + 1);
      }
    });

    it('leaves one row per request, of every status, with who, what, how long and the count after', async () => {
      const token = stub.user('status-token', 'user-status', 'status-gpt');
      const down = stub.set('status-down', { kind: 'reset' });
      await failInsertsTitled(t, 'explode-too');
      const created = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'first' });
      const id = created.body.id as string;
      const calls: Array<[number, () => request.Test]> = [
        [201, () => request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'second' })],
        [200, () => request(t.url).get(`/api/todos/${id}`).set(bearer(token))],
        [400, () => request(t.url).post('/api/todos').set(bearer(token)).send({ nope: 1 })],
        [
          400,
          () =>
            request(t.url).post('/api/todos').set(bearer(token)).set('Content-Type', 'application/json').send('{"title":'),
        ],
        [
          413,
          () =>
            request(t.url)
              .post('/api/todos')
              .set(bearer(token))
              .send({ title: 'big', description: 'x'.repeat(150_000) }),
        ],
        [401, () => request(t.url).delete(`/api/todos/${id}`)],
        [404, () => request(t.url).get('/api/todos/00000000-0000-4000-8000-000000000001').set(bearer(token))],
        [500, () => request(t.url).post('/api/todos').set(bearer(down)).send({ title: 'x' })],
        [500, () => request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'explode-too' })],
        [204, () => request(t.url).delete(`/api/todos/${id}`).set(bearer(token))],
        [429, () => request(t.url).get('/api/todos').set(bearer(token))],
      ];
      try {
        for (const [status, call] of calls) {
          const res = await call();
          expect({ status: res.status, body: typeof res.body?.error }).toEqual({
            status,
            body: status < 300 ? 'undefined' : 'string',
          });
        }
      } finally {
        await stopFailingInserts(t);
      }
      const since = (await logRows(t)).filter((r) => r.path.startsWith('/api/todos')).slice(-calls.length);
      expect(since.map((r) => r.status)).toEqual(calls.map(([s]) => s));
      const byStatus = (s: number) => since.filter((r) => r.status === s);

      const ok = byStatus(201)[0];
      expect(ok).toMatchObject({ method: 'POST', path: '/api/todos', user_id: 'user-status', client_id: 'status-gpt' });
      expect(ok.api_call_count).toBe(2);
      expect(ok.duration_ms).toBeGreaterThanOrEqual(0);
      expect(ok.created_at).toBeTruthy();
      expect(JSON.parse(ok.request_body!)).toEqual({ title: 'second' });
      expect(JSON.parse(ok.response_body!)).toMatchObject({ title: 'second', userId: 'user-status' });

      expect(byStatus(200)[0].api_call_count).toBe(3);
      expect(byStatus(400)[0]).toMatchObject({ user_id: 'user-status', api_call_count: 3 });
      expect(byStatus(413)[0]).toMatchObject({ method: 'POST', path: '/api/todos' });
      expect(byStatus(401)[0]).toMatchObject({ method: 'DELETE', user_id: null, client_id: null, api_call_count: null });
      expect(byStatus(404)[0]).toMatchObject({ path: '/api/todos/00000000-0000-4000-8000-000000000001' });
      expect(byStatus(500).map((r) => r.user_id)).toEqual([null, 'user-status']);
      expect(byStatus(204)[0]).toMatchObject({ method: 'DELETE', api_call_count: 4 });
      expect(byStatus(429)[0]).toMatchObject({ api_call_count: 4 });
      expect(JSON.parse(byStatus(429)[0].response_body!).error).toBe(QUOTA_EXCEEDED_MESSAGE);
    });

    it('cuts bodies at 4 KB and redacts secret-looking fields', async () => {
      const token = stub.user('body-token', 'user-body', 'big-gpt');
      const long = await request(t.url)
        .post('/api/todos')
        .set(bearer(token))
        .send({ title: 'long', description: '€'.repeat(2000) });
      expect(long.status).toBe(201);
      const secret = await request(t.url)
        .post('/api/todos')
        .set(bearer(token))
        .send({ title: 't', password: 'hunter2-secret', nested: { apiKey: 'k-123', accessToken: 'at-456' } });
      expect(secret.status).toBe(400);
      expect(secret.body.error).toMatch(/password|nested/);

      const [longRow, secretRow] = await logRows(t, `user_id = 'user-body'`);
      expect(Buffer.byteLength(longRow.request_body!)).toBeLessThanOrEqual(4096);
      expect(Buffer.byteLength(longRow.response_body!)).toBeLessThanOrEqual(4096);
      expect(longRow.request_body).toMatch(/cut, \d+ bytes\]$/);
      expect(secretRow.request_body).not.toMatch(/hunter2|k-123|at-456/);
      expect(JSON.parse(secretRow.request_body!)).toEqual({
        title: 't',
        password: '[REDACTED]',
        nested: { apiKey: '[REDACTED]', accessToken: '[REDACTED]' },
      });
    });
  });

  describe('TodosController', () => {
    const alice = () => bearer(stub.user('alice-token', 'alice', 'big-gpt'));
    const bob = () => bearer(stub.user('bob-token', 'bob', 'big-gpt'));

    it('POST /api/todo-demo answers 200 with the created todo and its defaults', async () => {
      const res = await request(t.url).post('/api/todo-demo').set(alice()).send({ title: 'Buy milk' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Buy milk',
        description: '',
        status: 'pending',
        userId: 'alice',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('runs the CRUD cycle, each todo owned by its user', async () => {
      const created = await request(t.url)
        .post('/api/todos')
        .set(alice())
        .send({ title: 'Write report', description: 'Q4', status: 'in-progress' });
      expect(created.status).toBe(201);
      const id = created.body.id;

      const got = await request(t.url).get(`/api/todos/${id}`).set(alice());
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);

      const patched = await request(t.url).patch(`/api/todos/${id}`).set(alice()).send({ status: 'done' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id, title: 'Write report', description: 'Q4', status: 'done' });

      for (const call of [
        request(t.url).get(`/api/todos/${id}`).set(bob()),
        request(t.url).patch(`/api/todos/${id}`).set(bob()).send({ status: 'stolen' }),
        request(t.url).delete(`/api/todos/${id}`).set(bob()),
      ]) {
        const res = await call;
        expect(res.status).toBe(404);
        expect(res.body.error).toBe(`Todo ${id} not found`);
      }
      expect((await request(t.url).get(`/api/todos/${id}`).set(alice())).body.status).toBe('done');

      const bobList = await request(t.url).get('/api/todos').set(bob());
      expect(bobList.body.items.map((todo: { id: string }) => todo.id)).not.toContain(id);

      expect((await request(t.url).delete(`/api/todos/${id}`).set(alice())).status).toBe(204);
      expect((await request(t.url).get(`/api/todos/${id}`).set(alice())).status).toBe(404);
    });

    it('lists the caller\'s todos only, newest first, filtered by status and paginated', async () => {
      const carol = bearer(stub.user('carol-token', 'carol', 'big-gpt'));
      for (const [title, status] of [['a', 'pending'], ['b', 'done'], ['c', 'pending'], ['d', 'pending']]) {
        await request(t.url).post('/api/todos').set(carol).send({ title, status }).expect(201);
      }
      const all = await request(t.url).get('/api/todos').set(carol);
      expect(all.body.total).toBe(4);
      expect(all.body.items.every((todo: { userId: string }) => todo.userId === 'carol')).toBe(true);

      const page = await request(t.url).get('/api/todos?status=pending&limit=2&offset=1').set(carol);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(3);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.items.every((todo: { status: string }) => todo.status === 'pending')).toBe(true);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['color=red', 'color'],
    ])('refuses the query %s with a 400 naming %s', async (query, field) => {
      const res = await request(t.url).get(`/api/todos?${query}`).set(alice());
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.error).toContain(field);
    });

    it.each([
      [{}, 'title'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 7 }, 'title'],
      [{ title: 'ok', description: 'x'.repeat(2001) }, 'description'],
      [{ title: 'ok', description: 3 }, 'description'],
      [{ title: 'ok', status: '' }, 'status'],
      [{ title: 'ok', status: 'x'.repeat(33) }, 'status'],
      [{ title: 'ok', userId: 'someone-else' }, 'userId'],
      [{ title: 'ok', id: 'mine' }, 'id'],
    ])('refuses the body %j with a 400 naming %s, and stores nothing', async (body, field) => {
      const before = await todoCount(t, 'alice');
      const res = await request(t.url).post('/api/todos').set(alice()).send(body);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.error).toContain(field);
      expect(await todoCount(t, 'alice')).toBe(before);
    });

    it('refuses malformed JSON and a non-object body with a 400', async () => {
      const malformed = await request(t.url)
        .post('/api/todos')
        .set(alice())
        .set('Content-Type', 'application/json')
        .send('{"title": "x",}');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toMatch(/^Request body is not valid JSON: /);
      const array = await request(t.url).post('/api/todos').set(alice()).send([{ title: 'x' }]);
      expect(array.status).toBe(400);
      expect(typeof array.body.error).toBe('string');
    });

    it('refuses a body over 100 KB with 413', async () => {
      const res = await request(t.url)
        .post('/api/todos')
        .set(alice())
        .send({ title: 'x', description: 'y'.repeat(101 * 1024) });
      expect(res.status).toBe(413);
      expect(res.body.error).toBe('Request body is larger than the 100kb limit');
    });

    it('refuses a malformed id with a 400 naming id', async () => {
      const res = await request(t.url).get('/api/todos/not-a-uuid').set(alice());
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ field: 'id' });
    });

    it('refuses a PATCH with an unknown or invalid field', async () => {
      const created = await request(t.url).post('/api/todos').set(alice()).send({ title: 'p' });
      const res = await request(t.url).patch(`/api/todos/${created.body.id}`).set(alice()).send({ title: '' });
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('title');
      const extra = await request(t.url).patch(`/api/todos/${created.body.id}`).set(alice()).send({ done: true });
      expect(extra.status).toBe(400);
      expect(extra.body.field).toBe('done');
    });
  });

  describe('health and admin', () => {
    it('GET /health answers 200 with status ok', async () => {
      const res = await request(t.url).get('/health');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
    });

    it('refuses the admin API without the right key', async () => {
      expect((await request(t.url).get('/api/admin/usage')).status).toBe(401);
      const wrong = await request(t.url).get('/api/admin/usage').set(bearer('admin-key-wrong-wrong'));
      expect(wrong.status).toBe(401);
      expect(typeof wrong.body.error).toBe('string');
    });

    it('GET /api/admin/usage lists counters with their limits, filterable', async () => {
      const res = await request(t.url)
        .get('/api/admin/usage?clientId=small-gpt&userId=user-small')
        .set(bearer('admin-key-0123456789'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [{ clientId: 'small-gpt', userId: 'user-small', count: 3, limit: 3 }] });
    });

    it('GET /api/admin/logs lists rows newest first, filtered and paginated', async () => {
      const res = await request(t.url)
        .get('/api/admin/logs?userId=user-small&limit=2')
        .set(bearer('admin-key-0123456789'));
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(4);
      expect(res.body.items).toHaveLength(2);
      expect(res.body.items[0].status).toBe(429);
      expect(res.body.items[0]).toMatchObject({
        method: 'POST',
        path: '/api/todos',
        userId: 'user-small',
        clientId: 'small-gpt',
        apiCallCount: 3,
        durationMs: expect.any(Number),
        createdAt: expect.any(String),
        id: expect.any(Number),
      });
      const errors = await request(t.url)
        .get('/api/admin/logs?status=429&clientId=small-gpt')
        .set(bearer('admin-key-0123456789'));
      expect(errors.body.items.every((row: { status: number }) => row.status === 429)).toBe(true);
      const bad = await request(t.url).get('/api/admin/logs?limit=101').set(bearer('admin-key-0123456789'));
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe('limit');
    });
  });
});

describe('protected API with other settings', () => {
  let stub: UserinfoStub;
  beforeAll(async () => {
    stub = await new UserinfoStub().start();
  });
  afterAll(async () => {
    await stub?.stop();
  });

  it('reads the user and client ids from USERINFO_USER_FIELD / USERINFO_CLIENT_FIELD', async () => {
    const t = await startTestApp({
      env: { OAUTH_USERINFO_URL: stub.url, USERINFO_USER_FIELD: 'sub', USERINFO_CLIENT_FIELD: 'azp' },
    });
    try {
      const token = stub.set('idp-token', { kind: 'user', claims: { sub: 'auth0|123', azp: 'gpt-client', id: 'wrong' } });
      const res = await request(t.url).post('/api/todos').set(bearer(token)).send({ title: 'x' });
      expect(res.status).toBe(201);
      expect(res.body.userId).toBe('auth0|123');
      expect(await countOf(t, 'auth0|123', 'gpt-client')).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('looks the token up on every call with USERINFO_CACHE_TTL_SECONDS=0, and again after the TTL', async () => {
    const off = await startTestApp({ env: { OAUTH_USERINFO_URL: stub.url, USERINFO_CACHE_TTL_SECONDS: '0' } });
    const short = await startTestApp({ env: { OAUTH_USERINFO_URL: stub.url, USERINFO_CACHE_TTL_SECONDS: '1' } });
    try {
      const token = stub.user('ttl-off', 'u-ttl', 'c');
      for (let i = 0; i < 3; i++) await request(off.url).get('/api/todos').set(bearer(token)).expect(200);
      expect(stub.lookupCount(token)).toBe(3);

      const shortToken = stub.user('ttl-short', 'u-ttl2', 'c');
      await request(short.url).get('/api/todos').set(bearer(shortToken)).expect(200);
      await request(short.url).get('/api/todos').set(bearer(shortToken)).expect(200);
      expect(stub.lookupCount(shortToken)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await request(short.url).get('/api/todos').set(bearer(shortToken)).expect(200);
      expect(stub.lookupCount(shortToken)).toBe(2);
    } finally {
      await off.close();
      await short.close();
    }
  });

  it('keeps the cache bounded to USERINFO_CACHE_MAX_ENTRIES, dropping the least recently used', async () => {
    const t = await startTestApp({ env: { OAUTH_USERINFO_URL: stub.url, USERINFO_CACHE_MAX_ENTRIES: '2' } });
    try {
      const [a, b, c] = ['lru-a', 'lru-b', 'lru-c'].map((token) => stub.user(token, token, 'c'));
      for (const token of [a, b, a, c, a, b]) {
        await request(t.url).get('/api/todos').set(bearer(token)).expect(200);
      }
      // a stays (used again before c came), b was the least recently used when c arrived.
      expect([stub.lookupCount(a), stub.lookupCount(b), stub.lookupCount(c)]).toEqual([1, 2, 1]);
    } finally {
      await t.close();
    }
  });

  it('answers 500 when nothing listens at the userinfo URL', async () => {
    const t = await startTestApp({ env: { OAUTH_USERINFO_URL: 'http://127.0.0.1:9/userinfo' } });
    try {
      const res = await request(t.url).get('/api/todos').set(bearer('any'));
      expect(res.status).toBe(500);
      expect(res.body.error).toMatch(/identity provider is unavailable/);
    } finally {
      await t.close();
    }
  });

  it('never stores or prints a token, even with debug logging', async () => {
    const capture = new OutputCapture().start();
    const t = await startTestApp({ env: { OAUTH_USERINFO_URL: stub.url, LOG_LEVEL: 'debug' } });
    const secretToken = 'tok_SECRET_b5c3f1e2d4a6';
    const rejected = 'tok_REJECTED_9a8b7c6d5e';
    const broken = 'tok_BROKEN_1f2e3d4c5b';
    try {
      stub.user(secretToken, 'u-secret', 'c-secret');
      stub.set(rejected, { kind: 'status', status: 401 });
      stub.set(broken, { kind: 'reset' });
      await request(t.url).post('/api/todos').set(bearer(secretToken)).send({ title: 'x' }).expect(201);
      await request(t.url)
        .post('/api/todos')
        .set(bearer(secretToken))
        .send({ title: 'x', token: secretToken, authorization: `Bearer ${secretToken}` })
        .expect(400);
      await request(t.url).post('/api/todos').set(bearer(rejected)).send({ title: 'x' }).expect(401);
      await request(t.url).post('/api/todos').set(bearer(broken)).send({ title: 'x' }).expect(500);
      await t.drainLogs();
      await t.app.close();
      capture.stop();
      const file = readFileSync(t.database.file ?? '/dev/null').toString('latin1');
      const wal = readIfExists(`${t.database.file}-wal`);
      const dump = JSON.stringify(await dumpAll(t));
      for (const token of [secretToken, rejected, broken]) {
        expect(capture.text).not.toContain(token);
        expect(file).not.toContain(token);
        expect(wal).not.toContain(token);
        expect(dump).not.toContain(token);
      }
      expect(capture.text).toMatch(/Cannot validate access tokens/);
    } finally {
      capture.stop();
      await t.close().catch(() => undefined);
    }
  });
});

function readIfExists(path: string): string {
  try {
    return readFileSync(path).toString('latin1');
  } catch {
    return '';
  }
}

/** Every table's rows, for the engines whose file cannot be read directly. */
async function dumpAll(t: TestApp): Promise<unknown[]> {
  if (t.dataSource.isInitialized === false) return [];
  const tables = ['todos', 'api_call_counts', 'api_call_logs'];
  return Promise.all(tables.map((table) => t.dataSource.query(`SELECT * FROM ${table}`)));
}

/** A real database failure: a trigger that aborts inserts of one title. */
async function failInsertsTitled(t: TestApp, title: string): Promise<void> {
  if (t.dataSource.options.type === 'postgres') {
    await t.dataSource.query(`CREATE OR REPLACE FUNCTION fail_todo_insert() RETURNS trigger AS $$
      BEGIN IF NEW.title LIKE 'explode%' THEN RAISE EXCEPTION 'insert refused by test trigger'; END IF; RETURN NEW; END;
      $$ LANGUAGE plpgsql`);
    await t.dataSource.query(`DROP TRIGGER IF EXISTS fail_todo_insert ON todos`);
    await t.dataSource.query(
      `CREATE TRIGGER fail_todo_insert BEFORE INSERT ON todos FOR EACH ROW EXECUTE FUNCTION fail_todo_insert()`,
    );
    return;
  }
  await t.dataSource.query(`DROP TRIGGER IF EXISTS fail_todo_insert`);
  await t.dataSource.query(
    `CREATE TRIGGER fail_todo_insert BEFORE INSERT ON todos WHEN NEW.title = '${title}' BEGIN SELECT RAISE(ABORT, 'insert refused by test trigger'); END`,
  );
}

async function stopFailingInserts(t: TestApp): Promise<void> {
  if (t.dataSource.options.type === 'postgres') {
    await t.dataSource.query(`DROP TRIGGER IF EXISTS fail_todo_insert ON todos`);
    return;
  }
  await t.dataSource.query(`DROP TRIGGER IF EXISTS fail_todo_insert`);
}

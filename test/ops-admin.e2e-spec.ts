import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { UserinfoStub } from './support/userinfo-stub.js';

const KEY = 'ops-admin-key-0123456789';
const admin = { Authorization: `Bearer ${KEY}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) to check what an export really contains. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

/**
 * The admin API an operator uses: the client registry (one client per GPT),
 * usage per client and per user with totals, resets, and the call log as
 * JSON and CSV.
 */
describe('admin API', () => {
  let stub: UserinfoStub;
  let t: TestApp;

  beforeAll(async () => {
    stub = await new UserinfoStub().start();
    t = await startTestApp({
      env: {
        OAUTH_USERINFO_URL: stub.url,
        USERINFO_CACHE_TTL_SECONDS: '0',
        ADMIN_API_KEY: KEY,
        API_USAGE_LIMITS_BY_CLIENT_ID: JSON.stringify({ 'config-gpt': 10 }),
        DEFAULT_API_USAGE_LIMIT: '50',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await stub?.stop();
  });

  const create = (token: string, title = 'a') => request(t.url).post('/api/todos').set(bearer(token)).send({ title });

  describe('access', () => {
    it('needs the admin key', async () => {
      expect((await request(t.url).get('/api/admin/clients')).status).toBe(401);
      expect((await request(t.url).get('/api/admin/logs.csv').set(bearer('not-the-admin-key-at-all'))).status).toBe(401);
      expect((await request(t.url).post('/api/admin/usage/reset').send({ clientId: 'a', userId: 'b' })).status).toBe(401);
    });

    it('is documented for people at /openapi-full.json and kept out of the GPT document', async () => {
      const gpt = await request(t.url).get('/openapi.json').expect(200);
      expect(Object.keys(gpt.body.paths).filter((path) => path.startsWith('/api/admin'))).toEqual([]);
      const full = await request(t.url).get('/openapi-full.json').expect(200);
      for (const path of ['/api/admin/clients', '/api/admin/clients/{clientId}/rotate-secret', '/api/admin/usage/clients', '/api/admin/logs.csv']) {
        expect(full.body.paths[path]).toBeDefined();
      }
      expect(full.body.paths['/api/admin/clients'].post.security).toEqual([{ adminApiKey: [] }]);
      expect(full.body.paths['/api/admin/clients'].post.tags).toEqual(['admin']);
    });
  });

  describe('clients', () => {
    let secret: string;

    it('registers a GPT: the secret is shown once on creation and never listed', async () => {
      const res = await request(t.url)
        .post('/api/admin/clients')
        .set(admin)
        .send({ clientId: 'team-gpt', name: 'Team GPT', redirectUris: ['https://chatgpt.com/aip/*/oauth/callback'], apiCallLimit: 2 })
        .expect(201);
      expect(res.body).toEqual({
        client: {
          clientId: 'team-gpt',
          name: 'Team GPT',
          redirectUris: ['https://chatgpt.com/aip/*/oauth/callback'],
          apiCallLimit: 2,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
        clientSecret: expect.stringMatching(/^\S{20,}$/),
      });
      secret = res.body.clientSecret;

      const list = await request(t.url).get('/api/admin/clients').set(admin).expect(200);
      expect(list.body.items.map((c: { clientId: string }) => c.clientId)).toEqual(expect.arrayContaining(['team-gpt', t.config.oauthClientId]));
      expect(JSON.stringify(list.body)).not.toContain(secret);
      const one = await request(t.url).get('/api/admin/clients/team-gpt').set(admin).expect(200);
      expect(one.body).toMatchObject({ clientId: 'team-gpt', apiCallLimit: 2 });
      expect(one.body.clientSecret).toBeUndefined();
    });

    it('generates a client id when none is given', async () => {
      const res = await request(t.url)
        .post('/api/admin/clients')
        .set(admin)
        .send({ name: 'Anonymous', redirectUris: ['https://chat.openai.com/aip/*/oauth/callback'] })
        .expect(201);
      expect(res.body.client.clientId).toMatch(/^client-/);
      expect(res.body.client.apiCallLimit).toBeNull();
    });

    it('refuses bad input with the field named, a taken id with 409, an unknown one with 404', async () => {
      const badUri = await request(t.url)
        .post('/api/admin/clients')
        .set(admin)
        .send({ name: 'x', redirectUris: ['not a url'] })
        .expect(400);
      expect(badUri.body.field).toBe('redirectUris');
      const noUris = await request(t.url).post('/api/admin/clients').set(admin).send({ name: 'x', redirectUris: [] }).expect(400);
      expect(noUris.body.field).toBe('redirectUris');
      const negative = await request(t.url)
        .post('/api/admin/clients')
        .set(admin)
        .send({ name: 'x', redirectUris: ['https://chatgpt.com/cb'], apiCallLimit: -1 })
        .expect(400);
      expect(negative.body.field).toBe('apiCallLimit');
      const unknown = await request(t.url)
        .post('/api/admin/clients')
        .set(admin)
        .send({ name: 'x', redirectUris: ['https://chatgpt.com/cb'], secret: 'mine' })
        .expect(400);
      expect(unknown.body.field).toBe('secret');
      const taken = await request(t.url)
        .post('/api/admin/clients')
        .set(admin)
        .send({ clientId: 'team-gpt', name: 'again', redirectUris: ['https://chatgpt.com/cb'] })
        .expect(409);
      expect(taken.body.error).toBe('An OAuth client with id "team-gpt" already exists');
      await request(t.url).get('/api/admin/clients/nope').set(admin).expect(404);
      await request(t.url).patch('/api/admin/clients/nope').set(admin).send({ name: 'n' }).expect(404);
      await request(t.url).post('/api/admin/clients/nope/rotate-secret').set(admin).expect(404);
    });

    it("uses the client's own API call limit, and a changed limit at once", async () => {
      const token = stub.user('tok-team-1', 'user-team-1', 'team-gpt');
      expect((await create(token)).status).toBe(201);
      expect((await create(token)).status).toBe(201);
      const refused = await create(token);
      expect(refused.status).toBe(429);
      expect(refused.headers['ratelimit-limit']).toBe('2');

      const updated = await request(t.url).patch('/api/admin/clients/team-gpt').set(admin).send({ apiCallLimit: 3 }).expect(200);
      expect(updated.body).toMatchObject({ clientId: 'team-gpt', name: 'Team GPT', apiCallLimit: 3 });
      expect((await create(token)).status).toBe(201);
      expect((await create(token)).status).toBe(429);
    });

    it('rotates the secret: the new one works at the token endpoint, the old one no longer does', async () => {
      const rotated = await request(t.url).post('/api/admin/clients/team-gpt/rotate-secret').set(admin).expect(200);
      expect(rotated.body.client.clientId).toBe('team-gpt');
      const fresh = rotated.body.clientSecret as string;
      expect(fresh).not.toBe(secret);

      // A made-up code: the client is authenticated first (invalid_grant), or not (invalid_client).
      const exchange = (clientSecret: string) =>
        request(t.url)
          .post('/api/oauth2/token')
          .type('form')
          .send({ grant_type: 'authorization_code', code: 'made-up', redirect_uri: 'https://chatgpt.com/aip/g/oauth/callback', client_id: 'team-gpt', client_secret: clientSecret });
      const old = await exchange(secret);
      expect(old.status).toBe(401);
      expect(old.body.error).toBe('invalid_client');
      const now = await exchange(fresh);
      expect(now.status).toBe(400);
      expect(now.body.error).toBe('invalid_grant');
    });

    it('deletes a client', async () => {
      await request(t.url)
        .post('/api/admin/clients')
        .set(admin)
        .send({ clientId: 'short-lived', name: 'Short', redirectUris: ['https://chatgpt.com/cb'] })
        .expect(201);
      await request(t.url).delete('/api/admin/clients/short-lived').set(admin).expect(204);
      await request(t.url).get('/api/admin/clients/short-lived').set(admin).expect(404);
      await request(t.url).delete('/api/admin/clients/short-lived').set(admin).expect(404);
    });
  });

  describe('usage', () => {
    beforeAll(async () => {
      for (const [token, user, client, calls] of [
        ['tok-cfg-a', 'user-a', 'config-gpt', 3],
        ['tok-cfg-b', 'user-b', 'config-gpt', 1],
        ['tok-other-a', 'user-a', 'other-gpt', 2],
      ] as const) {
        stub.user(token, user, client);
        for (let i = 0; i < calls; i++) expect((await create(token)).status).toBe(201);
      }
    });

    it('reports per client, with the registered name and the limit that applies, and totals', async () => {
      const res = await request(t.url).get('/api/admin/usage/clients').set(admin).expect(200);
      const byId = Object.fromEntries(res.body.items.map((item: { clientId: string }) => [item.clientId, item]));
      expect(byId['config-gpt']).toEqual({ clientId: 'config-gpt', name: null, users: 2, count: 4, limit: 10 });
      expect(byId['other-gpt']).toEqual({ clientId: 'other-gpt', name: null, users: 1, count: 2, limit: 50 });
      expect(byId['team-gpt']).toEqual({ clientId: 'team-gpt', name: 'Team GPT', users: 1, count: 3, limit: 3 });
      expect(res.body.totals).toEqual({ clients: 3, users: 3, count: 9 });

      const one = await request(t.url).get('/api/admin/usage/clients?clientId=config-gpt').set(admin).expect(200);
      expect(one.body.totals).toEqual({ clients: 1, users: 2, count: 4 });
    });

    it('reports per user, with totals', async () => {
      const res = await request(t.url).get('/api/admin/usage/users').set(admin).expect(200);
      const byId = Object.fromEntries(res.body.items.map((item: { userId: string }) => [item.userId, item]));
      expect(byId['user-a']).toEqual({ userId: 'user-a', email: null, clients: 2, count: 5 });
      expect(byId['user-b']).toEqual({ userId: 'user-b', email: null, clients: 1, count: 1 });
      expect(res.body.totals).toEqual({ clients: 3, users: 3, count: 9 });
      const filtered = await request(t.url).get('/api/admin/usage/users?userId=user-a').set(admin).expect(200);
      expect(filtered.body).toEqual({
        items: [{ userId: 'user-a', email: null, clients: 2, count: 5 }],
        totals: { clients: 2, users: 1, count: 5 },
      });
    });

    it("resets one user's count for one client, and nobody else's", async () => {
      const team = stub.user('tok-team-1', 'user-team-1', 'team-gpt');
      expect((await create(team)).status).toBe(429);
      const res = await request(t.url)
        .post('/api/admin/usage/reset')
        .set(admin)
        .send({ clientId: 'team-gpt', userId: 'user-team-1' })
        .expect(200);
      expect(res.body).toEqual({ clientId: 'team-gpt', userId: 'user-team-1', previousCount: 3, count: 0 });
      const after = await create(team);
      expect(after.status).toBe(201);
      expect(after.headers['ratelimit-remaining']).toBe('2');

      const usage = await request(t.url).get('/api/admin/usage?userId=user-a').set(admin).expect(200);
      expect(usage.body.items.map((i: { count: number }) => i.count).sort()).toEqual([2, 3]);
      const missing = await request(t.url)
        .post('/api/admin/usage/reset')
        .set(admin)
        .send({ clientId: 'team-gpt', userId: 'nobody' })
        .expect(404);
      expect(missing.body.error).toBe('User "nobody" has no call count for client "team-gpt"');
      await request(t.url).post('/api/admin/usage/reset').set(admin).send({ clientId: 'team-gpt' }).expect(400);
    });
  });

  describe('logs', () => {
    let startedAt: string;

    beforeAll(async () => {
      startedAt = new Date(Date.now() - 1000).toISOString();
      const token = stub.user('tok-logs', 'user-logs', 'logs-gpt');
      for (let i = 0; i < 5; i++) expect((await create(token, `log ${i}`)).status).toBe(201);
      expect((await request(t.url).get('/api/todos/not-a-uuid').set(bearer(token))).status).toBeGreaterThanOrEqual(400);
      await request(t.url).get('/api/todos').set(bearer('tok-unknown'));
      await t.drainLogs();
    });

    it('lists rows newest first, filtered by client, user, status and time, paginated', async () => {
      const all = await request(t.url).get('/api/admin/logs?userId=user-logs').set(admin).expect(200);
      expect(all.body.total).toBe(6);
      const ids = all.body.items.map((row: { id: number }) => row.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));

      const created = await request(t.url).get('/api/admin/logs?userId=user-logs&status=201').set(admin).expect(200);
      expect(created.body.total).toBe(5);
      const byClient = await request(t.url).get('/api/admin/logs?clientId=logs-gpt&limit=2&offset=1').set(admin).expect(200);
      expect(byClient.body.total).toBe(6);
      expect(byClient.body.items.map((row: { id: number }) => row.id)).toEqual(ids.slice(1, 3));

      const future = await request(t.url).get(`/api/admin/logs?from=${new Date(Date.now() + 60_000).toISOString()}`).set(admin).expect(200);
      expect(future.body).toEqual({ items: [], total: 0 });
      const since = await request(t.url).get(`/api/admin/logs?userId=user-logs&from=${startedAt}`).set(admin).expect(200);
      expect(since.body.total).toBe(6);
      const until = await request(t.url).get(`/api/admin/logs?userId=user-logs&to=${startedAt}`).set(admin).expect(200);
      expect(until.body.total).toBe(0);
      const unauthorized = await request(t.url).get('/api/admin/logs?status=401&limit=100').set(admin).expect(200);
      expect(unauthorized.body.items.some((row: { userId: string | null }) => row.userId === null)).toBe(true);
      await request(t.url).get('/api/admin/logs?from=yesterday').set(admin).expect(400);
    });

    it('exports CSV with a header line, the same filters, and every field escaped', async () => {
      const evilUser = stub.user('tok-evil', '=HYPERLINK("http://x"),"quoted"', 'csv-gpt');
      expect((await create(evilUser, 'csv')).status).toBe(201);
      await t.drainLogs();

      const res = await request(t.url).get('/api/admin/logs.csv?clientId=csv-gpt').set(admin).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="api-call-logs.csv"');
      const rows = parseCsv(res.text);
      expect(rows[0]).toEqual(['id', 'createdAt', 'requestId', 'method', 'path', 'status', 'durationMs', 'userId', 'clientId', 'apiCallCount']);
      expect(rows).toHaveLength(2);
      const [id, createdAt, requestId, method, path, status, , userId, clientId, count] = rows[1];
      expect({ method, path, status, clientId, count }).toEqual({ method: 'POST', path: '/api/todos', status: '201', clientId: 'csv-gpt', count: '1' });
      expect(Number(id)).toBeGreaterThan(0);
      expect(new Date(createdAt).toISOString()).toBe(createdAt);
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      // The formula is neutralised, and the commas and quotes survive the round trip.
      expect(userId).toBe(`'=HYPERLINK("http://x"),"quoted"`);

      const logsCsv = await request(t.url).get('/api/admin/logs.csv?userId=user-logs&status=201').set(admin).expect(200);
      expect(parseCsv(logsCsv.text)).toHaveLength(6);
      const limited = await request(t.url).get('/api/admin/logs.csv?userId=user-logs&limit=2').set(admin).expect(200);
      expect(parseCsv(limited.text)).toHaveLength(3);
      await request(t.url).get('/api/admin/logs.csv?limit=0').set(admin).expect(400);
    });

    it('exports more rows than one page, each exactly once', async () => {
      const rows = 1100;
      // Recent enough that the retention pruning (30 days) leaves them alone.
      const at = new Date(Date.now() - 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
      await t.dataSource.query(
        `INSERT INTO api_call_logs (created_at, request_id, method, path, status, duration_ms, user_id, client_id, api_call_count) VALUES ${Array.from(
          { length: rows },
          (_, i) => `('${at}', 'bulk-${i}', 'GET', '/api/todos', 200, 1, 'user-bulk', 'bulk-gpt', ${i})`,
        ).join(', ')}`,
      );
      const res = await request(t.url).get('/api/admin/logs.csv?clientId=bulk-gpt').set(admin).expect(200);
      const lines = parseCsv(res.text).slice(1);
      expect(lines).toHaveLength(rows);
      expect(new Set(lines.map((line) => line[2])).size).toBe(rows);
    });
  });
});

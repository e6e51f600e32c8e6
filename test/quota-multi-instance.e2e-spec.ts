import request from 'supertest';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { QUOTA_EXCEEDED_MESSAGE } from '../src/quota/quota-exceeded.exception.js';
import { buildServer, startBuiltServer, type BuiltServer } from './support/built-server.js';
import { createTestDatabase, testEngine, type TestDatabase } from './support/test-database.js';
import { UserinfoStub } from './support/userinfo-stub.js';

/**
 * Several instances behind a load balancer, on one database. The instances
 * are two real OS processes of the built server (dist/main.js), not two Nest
 * apps in this process: each has its own event loop, connection pool,
 * userinfo cache and call-log queue, as in production, so nothing in one
 * process can serialise the other's requests and hide a race. On the
 * "postgres" Jest project they share one PostgreSQL database (and start at the
 * same time, both running migrations); on "sqlite", one SQLite file.
 */
const LIMIT = 20;
const CALLS = 200;
const REFUSED_TITLE = 'refused-by-trigger';

describe(`quota across two server processes on one ${testEngine()} database`, () => {
  let stub: UserinfoStub;
  let database: TestDatabase;
  let db: DataSource;
  let instances: BuiltServer[] = [];

  beforeAll(async () => {
    buildServer();
    stub = await new UserinfoStub().start();
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      OAUTH_USERINFO_URL: stub.url,
      DEFAULT_API_USAGE_LIMIT: String(LIMIT),
      LOG_LEVEL: 'warn',
    };
    if (database.engine === 'postgres') {
      // Together: the migration advisory lock must let both come up on an empty database.
      instances = await Promise.all([startBuiltServer(env), startBuiltServer(env)]);
    } else {
      instances.push(await startBuiltServer(env));
      instances.push(await startBuiltServer(env));
    }
    const config =
      database.engine === 'postgres'
        ? ({ type: 'postgres', url: database.url } as const)
        : ({ type: 'sqlite', path: database.file! } as const);
    db = await new DataSource(buildDataSourceOptions(config)).initialize();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.cleanup()));
    if (db?.isInitialized) await db.destroy();
    await database?.drop();
    await stub?.stop();
  });

  /** `count` calls at once, alternating between the two instances. */
  function burst(token: string, count: number, title: (i: number) => string) {
    return Promise.all(
      Array.from({ length: count }, (_, i) =>
        request(instances[i % instances.length].url)
          .post('/api/todo-demo')
          .set('Authorization', `Bearer ${token}`)
          .send({ title: title(i) }),
      ),
    );
  }

  async function scalar(sql: string, params: unknown[]): Promise<number> {
    const placeholders = database.engine === 'postgres' ? sql : sql.replace(/\$\d+/g, '?');
    const rows: Array<{ n: number | string }> = await db.query(placeholders, params);
    return Number(rows[0]?.n ?? 0);
  }

  const storedCount = (userId: string) =>
    scalar(`SELECT COALESCE(MAX(count), 0) AS n FROM api_call_counts WHERE user_id = $1 AND client_id = $2`, [userId, 'gpt']);
  const todoRows = (userId: string) => scalar(`SELECT COUNT(*) AS n FROM todos WHERE user_id = $1`, [userId]);

  async function logRows(userId: string): Promise<Array<{ request_id: string; status: number; api_call_count: number | null }>> {
    const sql = `SELECT request_id, status, api_call_count FROM api_call_logs WHERE user_id = $1`;
    return db.query(database.engine === 'postgres' ? sql : sql.replace('$1', '?'), [userId]);
  }

  it(`${CALLS} concurrent calls over both instances against a limit of ${LIMIT}: exactly ${LIMIT} succeed, every call is logged`, async () => {
    const token = stub.user('multi-token', 'multi-user', 'gpt');

    const responses = await burst(token, CALLS, (i) => `todo ${i}`);

    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((status) => status >= 200 && status < 300)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(CALLS - LIMIT);
    for (const res of responses.filter((r) => r.status === 429)) {
      expect(res.body.error).toBe(QUOTA_EXCEEDED_MESSAGE);
      expect(res.headers['ratelimit-remaining']).toBe('0');
    }
    // Both processes answered their half; the successes are whatever the race gave each.
    const byInstance = instances.map((instance) =>
      responses.filter((res) => (res.request as unknown as { url: string }).url.startsWith(instance.url)).length,
    );
    expect(byInstance).toEqual([CALLS / 2, CALLS / 2]);

    expect(await storedCount('multi-user')).toBe(LIMIT);
    expect(await todoRows('multi-user')).toBe(LIMIT);

    // The log row is stored before the response leaves: every answered call already has one.
    const logs = await logRows('multi-user');
    expect(logs).toHaveLength(CALLS);
    const statusByRequestId = new Map(logs.map((row) => [row.request_id, Number(row.status)]));
    for (const res of responses) {
      expect(statusByRequestId.get(res.headers['x-request-id'])).toBe(res.status);
    }
    // The successes were charged 1..LIMIT, each count once, across both processes.
    const charged = logs.filter((row) => Number(row.status) === 200).map((row) => Number(row.api_call_count));
    expect(charged.sort((a, b) => a - b)).toEqual(Array.from({ length: LIMIT }, (_, i) => i + 1));

    // One userinfo lookup per token per process: each process's concurrent first calls shared one.
    expect(stub.lookupCount(token)).toBe(instances.length);
  });

  it('a call that fails after its reservation gives it back, on whichever instance it ran', async () => {
    await refuseInsertsTitled(REFUSED_TITLE);
    try {
      const token = stub.user('refused-token', 'refused-user', 'gpt');

      const failed = await burst(token, 30, () => REFUSED_TITLE);

      const statuses = failed.map((res) => res.status);
      // A call can meet a full quota while others hold reservations they are about to return.
      expect(statuses.every((status) => status === 500 || status === 429)).toBe(true);
      expect(statuses.filter((status) => status === 500).length).toBeGreaterThanOrEqual(LIMIT);
      for (const res of failed.filter((r) => r.status === 500)) {
        expect(res.body).toEqual({ error: 'Failed to create todo item' });
      }
      expect(await storedCount('refused-user')).toBe(0);
      expect(await todoRows('refused-user')).toBe(0);

      // Nothing was lost: the whole quota is still there.
      const succeeded = await burst(token, LIMIT + 5, (i) => `fine ${i}`);
      expect(succeeded.filter((res) => res.status === 200)).toHaveLength(LIMIT);
      expect(succeeded.filter((res) => res.status === 429)).toHaveLength(5);
      expect(await storedCount('refused-user')).toBe(LIMIT);
      expect(await todoRows('refused-user')).toBe(LIMIT);
      expect(await logRows('refused-user')).toHaveLength(30 + LIMIT + 5);
    } finally {
      await allowAllInserts();
    }
  });

  async function refuseInsertsTitled(title: string): Promise<void> {
    if (database.engine === 'postgres') {
      await db.query(`CREATE OR REPLACE FUNCTION refuse_todo_insert() RETURNS trigger AS $$
        BEGIN IF NEW.title = '${title}' THEN RAISE EXCEPTION 'insert refused by test trigger'; END IF; RETURN NEW; END;
        $$ LANGUAGE plpgsql`);
      await db.query(`CREATE TRIGGER refuse_todo_insert BEFORE INSERT ON todos FOR EACH ROW EXECUTE FUNCTION refuse_todo_insert()`);
      return;
    }
    await db.query(
      `CREATE TRIGGER refuse_todo_insert BEFORE INSERT ON todos WHEN NEW.title = '${title}' BEGIN SELECT RAISE(ABORT, 'insert refused by test trigger'); END`,
    );
  }

  async function allowAllInserts(): Promise<void> {
    await db.query(database.engine === 'postgres' ? `DROP TRIGGER refuse_todo_insert ON todos` : `DROP TRIGGER refuse_todo_insert`);
  }
});

import request from 'supertest';
import { ApiCallLogRepository, type NewCallLog } from '../src/call-log/api-call-log.repository.js';
import { LogRetention, PRUNE_BATCH_SIZE } from '../src/retention/log-retention.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { UserinfoStub } from './support/userinfo-stub.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function rowsAged(days: number, count: number, tag: string): NewCallLog[] {
  const createdAt = new Date(Date.now() - days * DAY_MS);
  return Array.from({ length: count }, (_, i) => ({
    createdAt,
    requestId: `${tag}-${i}`,
    method: 'GET',
    path: '/api/todos',
    status: 200,
    durationMs: 3,
    userId: 'u-old',
    clientId: 'c-old',
    apiCallCount: i,
    requestBody: null,
    responseBody: null,
  }));
}

async function countTagged(t: TestApp, tag: string): Promise<number> {
  const rows: Array<{ n: number | string }> = await t.dataSource.query(
    `SELECT COUNT(*) AS n FROM api_call_logs WHERE request_id LIKE '${tag}-%'`,
  );
  return Number(rows[0].n);
}

/** LOG_RETENTION_DAYS: rows older than that go, on a schedule, in batches, while requests keep being served. */
describe('call log retention', () => {
  let stub: UserinfoStub;
  let t: TestApp;

  beforeAll(async () => {
    stub = await new UserinfoStub().start();
    t = await startTestApp({
      env: { OAUTH_USERINFO_URL: stub.url, LOG_RETENTION_DAYS: '7', LOG_PRUNE_INTERVAL_SECONDS: '1' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await stub?.stop();
  });

  it('prunes rows older than LOG_RETENTION_DAYS on its own schedule, and keeps younger ones', async () => {
    const logs = t.app.get(ApiCallLogRepository);
    await logs.insertMany([...rowsAged(10, 30, 'sched-old'), ...rowsAged(6, 4, 'sched-young')]);
    expect(await countTagged(t, 'sched-old')).toBe(30);

    // Nobody calls prune() here: the interval does.
    while ((await countTagged(t, 'sched-old')) > 0) await new Promise((done) => setTimeout(done, 100));
    expect(await countTagged(t, 'sched-young')).toBe(4);
  });

  it('deletes a large backlog in batches while requests are served and logged meanwhile', async () => {
    const logs = t.app.get(ApiCallLogRepository);
    const backlog = PRUNE_BATCH_SIZE * 4 + 17;
    await logs.insertMany(rowsAged(40, backlog, 'backlog'));
    await logs.insertMany(rowsAged(1, 3, 'recent'));

    const token = stub.user('tok-retention', 'u-ret', 'c-ret');
    const pruning = t.app.get(LogRetention).prune();
    const calls = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(t.url).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title: `during prune ${i}` }),
      ),
    );
    await pruning;
    expect(calls.map((res) => res.status)).toEqual(Array(20).fill(201));

    expect(await countTagged(t, 'backlog')).toBe(0);
    expect(await countTagged(t, 'recent')).toBe(3);
    await t.drainLogs();
    const served: Array<{ n: number | string }> = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM api_call_logs WHERE user_id = 'u-ret'`,
    );
    expect(Number(served[0].n)).toBe(20);
  });
});

import { existsSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config.js';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { buildServer, startBuiltServer, type BuiltServer } from './support/built-server.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { UserinfoStub } from './support/userinfo-stub.js';

interface Answer {
  requestId: string;
  status: number;
  afterSignal: boolean;
}

/** One POST over a keep-alive agent; resolves with the status, or rejects when the connection is refused or cut. */
function post(url: string, agent: Agent, requestId: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/todos`,
      {
        method: 'POST',
        agent,
        headers: {
          Authorization: 'Bearer tok-shutdown',
          'Content-Type': 'application/json',
          'X-Request-Id': requestId,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function loggedRequestIds(database: TestDatabase): Promise<Set<string>> {
  const dataSource = new DataSource(buildDataSourceOptions(loadConfig({ DATABASE_URL: database.url }).database));
  await dataSource.initialize();
  try {
    const rows: Array<{ request_id: string }> = await dataSource.query('SELECT request_id FROM api_call_logs');
    return new Set(rows.map((row) => row.request_id));
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The built server (dist/main.js) as a real process under load gets SIGTERM:
 * it must answer what it accepted, store a log row for every answer, close the
 * database and exit 0.
 */
describe('graceful shutdown of the built server', () => {
  let stub: UserinfoStub;
  let database: TestDatabase;
  let server: BuiltServer | undefined;

  beforeAll(async () => {
    buildServer();
    stub = await new UserinfoStub().start();
    database = await createTestDatabase();
  }, 180_000);
  afterAll(async () => {
    await server?.cleanup();
    await stub?.stop();
    await database?.drop();
  });

  it('on SIGTERM finishes the requests in flight, logs every answered request, closes the database and exits 0', async () => {
    stub.user('tok-shutdown', 'u-shutdown', 'c-shutdown');
    // Every call waits on userinfo, so calls are in flight when the signal lands.
    stub.delayMs = 150;
    server = await startBuiltServer({
      DATABASE_URL: database.url,
      OAUTH_USERINFO_URL: stub.url,
      USERINFO_CACHE_TTL_SECONDS: '0',
      DEFAULT_API_USAGE_LIMIT: '1000000',
      LOG_LEVEL: 'info',
    });

    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const answers: Answer[] = [];
    let signalled = false;
    let sequence = 0;
    const body = JSON.stringify({ title: 'written during shutdown' });

    const worker = async (): Promise<void> => {
      for (;;) {
        const requestId = `shutdown-${++sequence}`;
        try {
          const status = await post(server!.url, agent, requestId, body);
          answers.push({ requestId, status, afterSignal: signalled });
        } catch {
          // Refused or cut: the server is closing; no answer means no row is owed.
          if (signalled) return;
        }
      }
    };
    const workers = Array.from({ length: 16 }, () => worker());

    while (answers.length < 64) await new Promise((done) => setTimeout(done, 20));
    signalled = true;
    server.child.kill('SIGTERM');
    await Promise.all(workers);
    const { code, signal } = await server.exited;
    agent.destroy();

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    if (database.engine === 'sqlite') {
      // better-sqlite3 checkpoints and removes the WAL file only when the database is closed.
      expect(existsSync(`${database.file}-wal`)).toBe(false);
    }
    // Requests accepted before the signal were answered after it, not dropped.
    expect(answers.filter((answer) => answer.afterSignal).length).toBeGreaterThan(0);
    expect(answers.every((answer) => answer.status === 201)).toBe(true);

    const logged = await loggedRequestIds(database);
    const missing = answers.filter((answer) => !logged.has(answer.requestId));
    expect(missing).toEqual([]);

    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; context?: string });
    expect(lines.some((line) => line.context === 'Shutdown' && line.msg.startsWith('SIGTERM received'))).toBe(true);
    expect(lines.some((line) => line.context === 'Shutdown' && line.msg.startsWith('All requests answered'))).toBe(true);
  }, 120_000);
});

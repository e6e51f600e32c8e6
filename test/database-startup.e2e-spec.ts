import { createServer, connect, type Server, type Socket } from 'node:net';
import { buildServer, startBuiltServer, type BuiltServer } from './support/built-server.js';
import { freePort } from './support/free-port.js';
import { createTestDatabase, testEngine, type TestDatabase } from './support/test-database.js';

const PASSWORD = 'never-print-me-7f3a';

/**
 * A TCP forwarder to the real PostgreSQL that hangs up on the first
 * `refuse` connections, as a database still starting up does.
 */
async function forwardToPostgres(port: number, refuse: number): Promise<{ refused: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { refused: 0, close: async () => {} };
  const server: Server = createServer((client) => {
    if (state.refused < refuse) {
      state.refused++;
      client.destroy();
      return;
    }
    const upstream = connect(5432, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return state;
}

/** The test database's URL, through another port, with a password that must never show. */
function urlThrough(database: TestDatabase, port: number): string {
  const url = new URL(database.url);
  url.port = String(port);
  url.password = PASSWORD;
  return url.toString();
}

// Start-up against PostgreSQL (SQLite has nothing to wait for): run by the "postgres" Jest project.
(testEngine() === 'postgres' ? describe : describe.skip)('start-up waits for PostgreSQL', () => {
  let database: TestDatabase;
  const servers: BuiltServer[] = [];

  beforeAll(async () => {
    buildServer();
    database = await createTestDatabase('postgres');
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.cleanup()));
    await database?.drop();
  });

  it('retries until the database comes up, then serves', async () => {
    const port = await freePort();
    const proxy = await forwardToPostgres(port, 3);
    try {
      const server = await startBuiltServer({
        DATABASE_URL: urlThrough(database, port),
        DATABASE_CONNECT_ATTEMPTS: '100',
        DATABASE_CONNECT_RETRY_MS: '100',
      });
      servers.push(server);
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      const output = server.stdout() + server.stderr();
      expect(output).toContain(`Waiting for the database at 127.0.0.1:${port}/`);
      expect(output).not.toContain(PASSWORD);
      expect(proxy.refused).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  it('gives up after DATABASE_CONNECT_ATTEMPTS with one line naming host and port, never the password', async () => {
    const port = await freePort();
    const failure = await startBuiltServer({
      DATABASE_URL: urlThrough(database, port),
      DATABASE_CONNECT_ATTEMPTS: '3',
      DATABASE_CONNECT_RETRY_MS: '50',
    }).then(
      (server) => {
        servers.push(server);
        throw new Error('the server started without a database');
      },
      (error: Error) => error.message,
    );
    const dbName = new URL(database.url).pathname;
    expect(failure).toContain(`Database not reachable at 127.0.0.1:${port}${dbName} after 3 attempts (ECONNREFUSED`);
    expect(failure).not.toContain(PASSWORD);
    expect(failure.match(/Database not reachable/g)).toHaveLength(1);
  });
});

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { buildServer } from './support/built-server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { UserinfoStub } from './support/userinfo-stub.js';

const ROOT = resolve(import.meta.dirname, '..');
/** What `npm run cli` runs once dist/ is built; the tests build it first, so no run rebuilds midway. */
const CLI = join(ROOT, 'dist/cli/main.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The operator CLI as a person or a script runs it: a separate process
 * (bin/cli.mjs, what `npm run cli` calls) against the same database as a
 * running server, whose HTTP API proves what the CLI changed.
 */
describe('CLI', () => {
  let database: TestDatabase;
  let stub: UserinfoStub;
  let t: TestApp;
  let cwd: string;

  function cli(...args: string[]): Promise<Result> {
    return new Promise((done) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        // An empty working directory: a developer's .env must not leak in.
        { cwd, env: { PATH: process.env.PATH, DATABASE_URL: database.url }, timeout: 170_000 },
        (error, stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'gpt-api-cli-'));
    database = await createTestDatabase();
    stub = await new UserinfoStub().start();
    t = await startTestApp({ database, env: { OAUTH_USERINFO_URL: stub.url, USERINFO_CACHE_TTL_SECONDS: '0' } });
    buildServer();
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await stub?.stop();
    await database?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('runs through `npm run cli`, with nothing but the command on stdout', async () => {
    const res = await new Promise<Result>((done) =>
      execFile('npm', ['run', '--silent', 'cli', '--', 'clients:list', '--json'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url } }, (error, stdout, stderr) =>
        done({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).items.map((c: { clientId: string }) => c.clientId)).toContain(t.config.oauthClientId);
  }, 120_000);

  describe('bad arguments', () => {
    it('prints the usage and exits 0 for help', async () => {
      const res = await cli('--help');
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('Usage: npm run cli -- <command> [options]');
      expect(res.stdout).toContain('clients:rotate-secret <client-id>');
    });

    it.each([
      [['bogus'], 'Unknown command "bogus"'],
      [['clients:create', '--redirect-uri', 'https://chatgpt.com/cb'], 'clients:create needs --name'],
      [['clients:create', '--name', 'x'], 'clients:create needs at least one --redirect-uri'],
      [['clients:create', '--nme', 'x'], "clients:create: Unknown option '--nme'"],
      [['clients:create', '--name', 'x', '--redirect-uri', 'https://chatgpt.com/cb', '--limit', 'lots'], '--limit must be a whole number'],
      [['clients:rotate-secret'], 'clients:rotate-secret needs exactly one client id (got 0)'],
      [['clients:list', 'extra'], 'clients:list takes no arguments besides options (got "extra")'],
      [['users:create', '--email', 'not-an-email'], '--email must be an email address (got "not-an-email")'],
      [['users:create', '--email', 'a@example.com', '--password', 'short'], '--password must be 8 to 1024 characters long'],
      [['usage', '--by', 'planet'], '--by must be client, user or counter (got "planet")'],
      [['logs', '--status', '42'], '--status must be a whole number from 100 to 599 (got "42")'],
      [['logs', '--since', 'yesterday'], '--since must be an ISO 8601 time'],
    ])('exits 2 with a clear message for %j', async (args, message) => {
      const res = await cli(...args);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`Error: ${message}`);
      expect(res.stderr).toContain('Usage: npm run cli');
      expect(res.stdout).toBe('');
    });

    it('exits 1 with one line when the operation itself fails', async () => {
      const res = await cli('clients:rotate-secret', 'no-such-client');
      expect(res.code).toBe(1);
      expect(res.stderr.trim()).toBe('Error: No OAuth client with id "no-such-client"');
    });
  });

  describe('clients and users', () => {
    let secret: string;
    const exchange = (clientSecret: string) =>
      request(t.url).post('/api/oauth2/token').type('form').send({
        grant_type: 'authorization_code',
        code: 'made-up',
        redirect_uri: 'https://chatgpt.com/aip/g-1/oauth/callback',
        client_id: 'cli-gpt',
        client_secret: clientSecret,
      });

    it('clients:create registers a GPT the running server accepts, and prints the secret once', async () => {
      const res = await cli(
        'clients:create', '--client-id', 'cli-gpt', '--name', 'CLI GPT',
        '--redirect-uri', 'https://chatgpt.com/aip/*/oauth/callback', '--limit', '2', '--json',
      );
      expect(res.code).toBe(0);
      const created = JSON.parse(res.stdout);
      expect(created.client).toMatchObject({ clientId: 'cli-gpt', name: 'CLI GPT', apiCallLimit: 2 });
      secret = created.clientSecret;
      // The server authenticates the client with that secret: the made-up code is what fails.
      expect((await exchange(secret)).body.error).toBe('invalid_grant');

      const people = await cli('clients:create', '--name', 'Second', '--redirect-uri', 'https://chat.openai.com/aip/*/oauth/callback');
      expect(people.code).toBe(0);
      expect(people.stdout).toMatch(/Client Secret: {2}\S{20,}\n/);
      expect(people.stdout).toContain('shown this once');
    });

    it('clients:list shows them as a table or JSON, never a secret', async () => {
      const table = await cli('clients:list');
      expect(table.code).toBe(0);
      const [header, rule, ...rows] = table.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^CLIENT ID\s+NAME\s+LIMIT\s+REDIRECT URIS\s+CREATED$/);
      expect(rule).toMatch(/^-+( +-+)+$/);
      expect(rows.some((row) => /^cli-gpt\s+CLI GPT\s+2\s+https:\/\/chatgpt\.com\/aip\/\*\/oauth\/callback/.test(row))).toBe(true);
      const json = await cli('clients:list', '--json');
      const ids = JSON.parse(json.stdout).items.map((c: { clientId: string }) => c.clientId);
      expect(ids).toEqual(expect.arrayContaining(['cli-gpt', t.config.oauthClientId]));
      expect(table.stdout + json.stdout).not.toContain(secret);
    });

    it('clients:rotate-secret replaces the secret: the old one stops working at once', async () => {
      const res = await cli('clients:rotate-secret', 'cli-gpt', '--json');
      expect(res.code).toBe(0);
      const fresh = JSON.parse(res.stdout).clientSecret as string;
      expect(fresh).not.toBe(secret);
      expect((await exchange(secret)).status).toBe(401);
      expect((await exchange(fresh)).body.error).toBe('invalid_grant');
    });

    it('users:create makes an account that can sign in on the authorize page', async () => {
      const res = await cli('users:create', '--email', 'Operator@Example.com', '--name', 'Op', '--json');
      expect(res.code).toBe(0);
      const { user, password } = JSON.parse(res.stdout);
      expect(user).toMatchObject({ email: 'operator@example.com', name: 'Op', id: expect.any(String) });
      expect(password).toMatch(/^\S{12,}$/);

      const signIn = await request(t.url)
        .post('/api/oauth2/authorize')
        .type('form')
        .send({
          response_type: 'code',
          client_id: 'cli-gpt',
          redirect_uri: 'https://chatgpt.com/aip/g-1/oauth/callback',
          state: 'st',
          scope: '',
          email: 'operator@example.com',
          password,
        });
      expect(signIn.status).toBe(302);
      expect(signIn.headers.location).toMatch(/^https:\/\/chatgpt\.com\/aip\/g-1\/oauth\/callback\?code=.+&state=st$/);

      const again = await cli('users:create', '--email', 'operator@example.com', '--password', 'long-enough-pw');
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toBe('Error: An account with this email already exists: sign in instead.');
    });
  });

  describe('usage and logs', () => {
    const call = (token: string) => request(t.url).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title: 't' });

    beforeAll(async () => {
      stub.user('tok-cli-a', 'user-a', 'cli-gpt');
      stub.user('tok-cli-b', 'user-b', 'cli-gpt');
      stub.user('tok-cli-c', 'user-a', 'other-gpt');
      for (const token of ['tok-cli-a', 'tok-cli-a', 'tok-cli-b', 'tok-cli-c']) expect((await call(token)).status).toBe(201);
      expect((await call('tok-cli-a')).status).toBe(429);
      await t.drainLogs();
    });

    it('usage reports per client (default) and per user, with totals', async () => {
      const byClient = JSON.parse((await cli('usage', '--json')).stdout);
      expect(byClient.totals).toEqual({ clients: 2, users: 2, count: 4 });
      expect(byClient.items).toEqual(
        expect.arrayContaining([{ clientId: 'cli-gpt', name: 'CLI GPT', users: 2, count: 3, limit: 2 }]),
      );
      const byUser = JSON.parse((await cli('usage', '--by', 'user', '--client-id', 'cli-gpt', '--json')).stdout);
      expect(byUser).toEqual({
        items: [
          { userId: 'user-a', email: null, clients: 1, count: 2 },
          { userId: 'user-b', email: null, clients: 1, count: 1 },
        ],
        totals: { clients: 1, users: 2, count: 3 },
      });
      const table = await cli('usage');
      expect(table.stdout).toMatch(/^CLIENT ID\s+NAME\s+USERS\s+CALLS\s+LIMIT\/USER\n/);
      expect(table.stdout).toMatch(/\ncli-gpt\s+CLI GPT\s+2\s+3\s+2\n/);
      expect(table.stdout).toContain('Total: 4 calls by 2 users of 2 clients');
    });

    it('logs prints the newest rows, filtered, oldest of them first; --json gives one object a line', async () => {
      const res = await cli('logs', '--client-id', 'cli-gpt', '--limit', '3', '--json');
      expect(res.code).toBe(0);
      const rows = res.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(rows.map((row) => row.status)).toEqual([201, 201, 429]);
      expect(rows[0].id).toBeLessThan(rows[2].id);
      expect(rows[2]).toMatchObject({ method: 'POST', path: '/api/todos', userId: 'user-a', clientId: 'cli-gpt' });

      const failed = await cli('logs', '--status', '429');
      expect(failed.stdout.trimEnd().split('\n')).toHaveLength(3);
      expect(failed.stdout).toMatch(/POST\s+\/api\/todos\s+429/);
    });

    it('logs --tail keeps printing new rows until stopped, then exits 0', async () => {
      const child = spawn(process.execPath, [CLI, 'logs', '--tail', '--json', '--user-id', 'user-tail', '--limit', '1'], {
        cwd,
        env: { PATH: process.env.PATH, DATABASE_URL: database.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      try {
        stub.user('tok-tail', 'user-tail', 'cli-gpt');
        // Rows written while the tail runs, in two bursts.
        const seen = async (n: number) => {
          while (out.split('\n').filter((line) => line.startsWith('{')).length < n) {
            await new Promise((done) => setTimeout(done, 50));
          }
        };
        expect((await call('tok-tail')).status).toBe(201);
        await t.drainLogs();
        await seen(1);
        expect((await call('tok-tail')).status).toBe(201);
        expect((await call('tok-tail')).status).toBe(429);
        await t.drainLogs();
        await seen(3);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      const rows = out.trimEnd().split('\n').map((line) => JSON.parse(line));
      expect(rows.map((row) => [row.userId, row.status])).toEqual([
        ['user-tail', 201],
        ['user-tail', 201],
        ['user-tail', 429],
      ]);
      expect(new Set(rows.map((row) => row.id)).size).toBe(3);
      expect(err).toBe('');
    });
  });
});

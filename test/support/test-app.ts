import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DestinationStream } from 'pino';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { CallLogService } from '../../src/call-log/call-log.service.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { createTestDatabase, type Engine, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port>: the tests talk real HTTP to a listening server. */
  url: string;
  database: TestDatabase;
  dataSource: DataSource;
  /** Waits until every pending call log row is stored. */
  drainLogs(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  engine?: Engine;
  /** Reuse a database (a second instance on the same PostgreSQL database). */
  database?: TestDatabase;
  /** Where the app's log lines go (stdout otherwise); see test/support/log-lines.ts. */
  logDestination?: DestinationStream;
}

/** Starts the app exactly as main.ts does (same factory), on a fresh database. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(options.engine));
  const ownsDatabase = options.database === undefined;
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'error',
    DATABASE_URL: database.url,
    // Configured, so that each start does not print a generated secret and password;
    // the seeding tests pass '' to have them generated.
    OAUTH_CLIENT_SECRET: 'test-client-secret-0123456789abcdef',
    DEMO_USER_PASSWORD: 'test-demo-password-0123',
    ...options.env,
  });
  const app = await createApp(config, { logging: { destination: options.logDestination } });
  // PORT 0 (the default here) picks a free port; a test that needs a known origin (a browser
  // following OAuth redirects to PUBLIC_URL) passes PORT and PUBLIC_URL together.
  await app.listen(config.port, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const callLog = app.get(CallLogService);
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    database,
    dataSource,
    drainLogs: () => callLog.drain(),
    close: async () => {
      await app.close();
      if (ownsDatabase) await database.drop();
    },
  };
}

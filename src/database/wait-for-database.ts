import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig, DatabaseConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';

/** Start-up gave up on the database; the message is the one line to print. */
export class DatabaseUnreachableError extends Error {
  constructor(where: string, attempts: number, cause: string) {
    super(`Database not reachable at ${where} after ${attempts} attempt${attempts === 1 ? '' : 's'} (${cause})`);
    this.name = 'DatabaseUnreachableError';
  }
}

/** host:port of a postgres:// URL: never the user or the password. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.type === 'sqlite') return database.path;
  const url = new URL(database.url);
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

/**
 * PostgreSQL may still be booting when the app starts (a container
 * orchestrator starts both together). Tries to connect up to
 * DATABASE_CONNECT_ATTEMPTS times, DATABASE_CONNECT_RETRY_MS apart, and then
 * fails with one line that names host and port. SQLite needs no wait.
 */
export async function waitForDatabase(
  config: Pick<AppConfig, 'database' | 'databaseConnectAttempts' | 'databaseConnectRetryMs'>,
  onRetry?: (attempt: number, cause: string) => void,
): Promise<void> {
  if (config.database.type !== 'postgres') return;
  // No entities, no migrations: only "does the server accept us?".
  const options: DataSourceOptions = { ...buildDataSourceOptions(config.database), entities: [], migrations: [] };
  let cause = 'unknown error';
  for (let attempt = 1; attempt <= config.databaseConnectAttempts; attempt++) {
    const probe = new DataSource(options);
    try {
      await probe.initialize();
      await probe.query('SELECT 1');
      await probe.destroy();
      return;
    } catch (error) {
      cause = connectionFailure(error);
      if (probe.isInitialized) await probe.destroy().catch(() => undefined);
    }
    if (attempt < config.databaseConnectAttempts) {
      onRetry?.(attempt, cause);
      await sleep(config.databaseConnectRetryMs);
    }
  }
  throw new DatabaseUnreachableError(describeDatabase(config.database), config.databaseConnectAttempts, cause);
}

/** The error code (ECONNREFUSED, 57P03, ...) or message: pg's messages name no password. */
function connectionFailure(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && message) return `${code}: ${message}`;
  return code ?? message ?? String(error);
}

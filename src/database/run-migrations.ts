import type { DataSource } from 'typeorm';

/** Any constant shared by every instance: the key of the PostgreSQL advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_214_031_977;

/**
 * Brings the schema up to date. Several instances behind a load balancer start
 * together on one PostgreSQL database; without the advisory lock they would
 * all see the same pending migration and race to create the same tables. With
 * it, the first runs the migrations and the others find nothing left to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'all' });
    return;
  }
  // A session lock: it lives on this one connection, held while the migrations
  // run on another connection of the pool, and is released on unlock or disconnect.
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
  }
}

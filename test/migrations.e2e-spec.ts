import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/database/entities.js';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../src/database/migrations/index.js';
import { createTestDatabase, testEngine, type TestDatabase } from './support/test-database.js';

type MigrationClass = new () => { name?: string };

/** `Initial1796312634976` -> `Initial`: the two engines' files are generated at different instants. */
function baseNames(migrations: Function[]): string[] {
  return migrations
    .map((migration) => {
      const name = new (migration as MigrationClass)().name ?? migration.name;
      const match = /^(.*?)(\d{13})$/.exec(name);
      if (!match) throw new Error(`Migration ${name} does not end in a 13-digit timestamp`);
      return { base: match[1], timestamp: Number(match[2]) };
    })
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((migration) => migration.base);
}

function dataSourceFor(database: TestDatabase): DataSource {
  const url = database.url;
  const config = url.startsWith('sqlite:')
    ? ({ type: 'sqlite', path: url.slice('sqlite:'.length) } as const)
    : ({ type: 'postgres', url } as const);
  return new DataSource(buildDataSourceOptions(config));
}

async function entityTablesPresent(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const present: string[] = [];
    for (const entity of dataSource.entityMetadatas) {
      if (await runner.hasTable(entity.tableName)) present.push(entity.tableName);
    }
    return present;
  } finally {
    await runner.release();
  }
}

describe('migrations', () => {
  it('the SQLite and PostgreSQL sets hold the same migrations, in the same order', () => {
    expect(SQLITE_MIGRATIONS.length).toBeGreaterThan(0);
    expect(baseNames(POSTGRES_MIGRATIONS)).toEqual(baseNames(SQLITE_MIGRATIONS));
  });

  describe(`on ${testEngine()}`, () => {
    let database: TestDatabase;
    let dataSource: DataSource;

    beforeAll(async () => {
      database = await createTestDatabase();
      dataSource = await dataSourceFor(database).initialize();
    });
    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      await database?.drop();
    });

    it('a fresh database migrated from zero matches the entities: the schema builder has nothing left to do', async () => {
      const expected = testEngine() === 'postgres' ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      expect(applied.map((migration) => migration.name)).toEqual(
        expected.map((migration) => new (migration as MigrationClass)().name),
      );
      expect(await dataSource.showMigrations()).toBe(false);
      expect(dataSource.entityMetadatas.map((entity) => entity.target)).toEqual(expect.arrayContaining(ENTITIES));

      const pending = await dataSource.driver.createSchemaBuilder().log();
      // The queries themselves, so that a failure says which table or column drifted.
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    });

    it('reverts one migration at a time down to zero, leaving no entity table, then migrates up again', async () => {
      const total = (await dataSource.query(`SELECT COUNT(*) AS n FROM migrations`))[0].n;
      expect(Number(total)).toBeGreaterThan(0);
      for (let i = 0; i < Number(total); i++) {
        await dataSource.undoLastMigration({ transaction: 'all' });
      }
      expect(Number((await dataSource.query(`SELECT COUNT(*) AS n FROM migrations`))[0].n)).toBe(0);
      expect(await entityTablesPresent(dataSource)).toEqual([]);

      await dataSource.runMigrations({ transaction: 'all' });
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    });
  });
});

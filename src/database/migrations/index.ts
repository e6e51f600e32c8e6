import { Initial1796312638382 as PostgresInitial } from './postgres/1796312638382-Initial.js';
import { AddOAuthProvider1796313364723 as PostgresAddOAuthProvider } from './postgres/1796313364723-AddOAuthProvider.js';
import { Initial1796312634976 as SqliteInitial } from './sqlite/1796312634976-Initial.js';
import { AddOAuthProvider1796313354713 as SqliteAddOAuthProvider } from './sqlite/1796313354713-AddOAuthProvider.js';

// Listed by hand (not globbed) so that the same list works in dist/, under ts-jest
// and in the TypeORM CLI. `npm run migration:generate` writes one file per engine
// (run it once with a sqlite: and once with a postgres: DATABASE_URL); add both here.
// test/migrations.e2e-spec.ts fails when either set falls behind the entities.
export const SQLITE_MIGRATIONS: Function[] = [SqliteInitial, SqliteAddOAuthProvider];
export const POSTGRES_MIGRATIONS: Function[] = [PostgresInitial, PostgresAddOAuthProvider];

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseConfig } from '../config/app-config.js';

/** `sqlite:./data/app.db` on a fresh clone: the folder does not exist yet. */
export function ensureSqliteDirectory(database: DatabaseConfig): void {
  if (database.type === 'sqlite' && database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true });
  }
}

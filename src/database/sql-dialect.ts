import type { DataSource } from 'typeorm';

/**
 * The little that differs between the two engines in hand-written SQL:
 * parameter placeholders and the clock. Everything else is shared.
 */
export class SqlDialect {
  readonly isPostgres: boolean;

  constructor(dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  /** The n-th (1-based) parameter placeholder. */
  param(n: number): string {
    return this.isPostgres ? `$${n}` : '?';
  }

  get now(): string {
    return this.isPostgres ? 'now()' : "datetime('now')";
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { runMigrations } from './run-migrations.js';
import { ensureSqliteDirectory } from './sqlite-file.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        ensureSqliteDirectory(config.database);
        // main.ts has already waited for the database (waitForDatabase); a
        // failure here is real, and @nestjs/typeorm's own retries would only
        // repeat it with a stack trace each time.
        return { ...buildDataSourceOptions(config.database), retryAttempts: 1, toRetry: () => false };
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}

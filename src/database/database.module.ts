import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { ensureSqliteDirectory } from './sqlite-file.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        ensureSqliteDirectory(config.database);
        return { ...buildDataSourceOptions(config.database), migrationsRun: true };
      },
    }),
  ],
})
export class DatabaseModule {}

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig, readEnvironment } from './config/app-config.js';
import { DatabaseUnreachableError, describeDatabase, waitForDatabase } from './database/wait-for-database.js';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  try {
    await waitForDatabase(config, (attempt) => {
      if (attempt === 1) {
        new Logger('Bootstrap').warn(
          `Waiting for the database at ${describeDatabase(config.database)} (up to ${config.databaseConnectAttempts} attempts)`,
        );
      }
    });
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.port);
  new Logger('Bootstrap').log(`Listening on ${config.publicUrl} (port ${config.port})`);
}

void bootstrap();

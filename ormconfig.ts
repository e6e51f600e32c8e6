// The data source the TypeORM CLI uses (`npm run migration:generate`, `migration:run`).
// It reads DATABASE_URL through the same validated configuration as the app.
import { DataSource } from 'typeorm';
import { loadConfig, readEnvironment } from './src/config/app-config.js';
import { buildDataSourceOptions } from './src/database/data-source-options.js';

const config = loadConfig(readEnvironment());

export default new DataSource(buildDataSourceOptions(config.database));

import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminModule } from './admin/admin.module.js';
import { CallLogModule } from './call-log/call-log.module.js';
import { HttpErrorFilter } from './common/http-error.filter.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { OAuthProviderModule } from './oauth-provider/oauth-provider.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LoggingModule, type LoggingOptions } from './logging/logging.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { SecurityModule } from './security/security.module.js';
import { TodosModule } from './todos/todos.module.js';

/** What differs between runs besides the configuration (tests capture the log lines). */
export interface AppOptions {
  logging?: LoggingOptions;
}

@Module({})
export class AppModule {
  /** The configuration is loaded and validated once, by the caller, and handed in. */
  static forRoot(config: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(options.logging), DatabaseModule, OAuthProviderModule, CallLogModule, TodosModule, AdminModule, HealthModule, LifecycleModule, SecurityModule, RetentionModule],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}

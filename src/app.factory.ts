import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestHandler } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { requestContextMiddleware } from './common/request-context.js';
import { HTTP_LOGGER } from './logging/logging.module.js';
import { RequestTimeout } from './security/request-timeout.js';
import { securityHeaders } from './security/security-headers.js';
import { BODY_LIMIT } from './common/body-limit.js';
import { setupOpenApi } from './openapi/openapi.setup.js';


/**
 * Builds the application exactly as production runs it; the e2e tests call
 * this too, so they test the same pipes, filters, body limits and CORS.
 */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    // Registered below, after the request context, so a body that fails to parse is still timed and logged.
    bodyParser: false,
    // Start-up lines wait for the pino logger (LOG_LEVEL, JSON, redaction) instead of going to the console.
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestContextMiddleware);
  app.use(app.get<RequestHandler>(HTTP_LOGGER));
  app.use(securityHeaders());
  app.use(app.get(RequestTimeout).middleware);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { extended: false, limit: BODY_LIMIT });
  app.enableCors({
    origin: [new URL(config.publicUrl).origin, ...config.corsOrigins],
    methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['RateLimit-Limit', 'RateLimit-Remaining', 'X-Request-Id'],
    maxAge: 600,
  });
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app, config);
  // Exit 0 once every hook has run (server closed, log rows stored, database closed), not by re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}

import { DynamicModule, Global, Module } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { pino, type DestinationStream, type Logger as PinoInstance } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppConfig } from '../config/app-config.js';
import { httpLoggerOptions, logDestination, pinoOptions, REQUEST_ID_KEY } from './logger-options.js';

/** The app's one pino instance. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
/** pino-http over {@link ROOT_LOGGER}; createApp mounts it before the body parser. */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

export interface LoggingOptions {
  /** Where lines go; stdout when absent. Tests hand in a stream they read back. */
  destination?: DestinationStream;
  /** The stream to write to when no destination is given (the CLI keeps stdout for its output). */
  stream?: NodeJS.WritableStream;
}

/**
 * Structured logs through nestjs-pino: the HTTP lines and Nest's `Logger`
 * share one pino instance, its level (LOG_LEVEL), its format (LOG_FORMAT) and
 * its redaction.
 *
 * The HTTP logger is our own pino-http middleware, mounted by createApp right
 * after the request context: Nest mounts module middleware after the body
 * parser, and a request the parser rejects (413, malformed JSON) must still be
 * logged. nestjs-pino then runs with `useExisting`, binding that request's
 * logger so every `Logger` call made while serving it carries the request id.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    const root = rootLoggerModule(options);
    return {
      module: LoggingModule,
      imports: [
        root,
        LoggerModule.forRootAsync({
          imports: [root],
          inject: [ROOT_LOGGER],
          useFactory: (logger: PinoInstance) => ({ pinoHttp: { logger }, useExisting: true }),
        }),
      ],
      providers: [
        {
          provide: HTTP_LOGGER,
          inject: [ROOT_LOGGER, PinoLogger],
          useFactory: (logger: PinoInstance, context: PinoLogger): RequestHandler => {
            const httpLogger = pinoHttp({ ...httpLoggerOptions(), logger }) as unknown as RequestHandler;
            // Bind the request id at once, not only when Nest's middleware runs: what
            // runs before it (the request timeout's timer) logs with the id too.
            return (req, res, next) =>
              httpLogger(req, res, () => context.runInContext(() => next(), { bindings: { [REQUEST_ID_KEY]: req.id } }));
          },
        },
      ],
      exports: [root, HTTP_LOGGER],
    };
  }
}

@Global()
@Module({})
class RootLoggerModule {}

function rootLoggerModule(options: LoggingOptions): DynamicModule {
  return {
    module: RootLoggerModule,
    providers: [
      {
        provide: ROOT_LOGGER,
        inject: [AppConfig],
        useFactory: async (config: AppConfig): Promise<PinoInstance> =>
          pino(pinoOptions(config), options.destination ?? (await logDestination(config, options.stream))),
      },
    ],
    exports: [ROOT_LOGGER],
  };
}

import 'reflect-metadata';
import { parseCommandLine, USAGE, UsageError } from './args.js';

// Nest, TypeORM and the app's modules load only once the command line is
// known to be right: a typo is answered at once.
async function run(argv: string[]): Promise<number> {
  let invocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`Error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (invocation.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  const [{ NestFactory }, { Logger }, { loadConfig, readEnvironment }, { CliModule }, { HANDLERS }] = await Promise.all([
    import('@nestjs/core'),
    import('nestjs-pino'),
    import('../config/app-config.js'),
    import('./cli.module.js'),
    import('./commands.js'),
  ]);
  // The CLI only says what goes wrong, unless LOG_LEVEL asks for more.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...readEnvironment() });
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  try {
    await HANDLERS[invocation.command]({
      app,
      invocation,
      out: { write: (text) => void process.stdout.write(text) },
      json: invocation.values.json === true,
      stopped,
    });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`Error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  } finally {
    await app.close();
  }
}

/** Errors the operator can act on: one line, no stack. */
async function isExpected(error: unknown): Promise<boolean> {
  const [{ ConfigError }, clients, users] = await Promise.all([
    import('../config/app-config.js'),
    import('../oauth-provider/oauth-clients.service.js'),
    import('../oauth-provider/oauth-users.service.js'),
  ]);
  return [
    ConfigError,
    clients.InvalidOAuthClientError,
    clients.OAuthClientExistsError,
    clients.OAuthClientNotFoundError,
    users.OAuthUserExistsError,
  ].some((type) => error instanceof type);
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    if (await isExpected(error)) {
      process.stderr.write(`Error: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);

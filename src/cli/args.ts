import { parseArgs } from 'node:util';

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  clients:list                               list the registered OAuth clients (one per GPT)
  clients:create --name <name> --redirect-uri <uri> [--redirect-uri <uri> ...]
                 [--client-id <id>] [--limit <calls>]
                                             register a GPT; prints its secret once
  clients:rotate-secret <client-id>          give a client a new secret; prints it once
  users:create --email <email> [--name <name>] [--password <password>]
                                             create a sign-in account; a password is generated when not given
  usage [--by client|user|counter] [--client-id <id>] [--user-id <id>]
                                             API calls per client (default), per user, or every counter
  logs [--tail] [--limit <n>] [--client-id <id>] [--user-id <id>] [--status <code>] [--since <ISO time>]
                                             the newest call log rows; --tail keeps printing new ones

Every command takes --json for output a script can parse (logs: one JSON object per line).
Configuration comes from the environment and .env, as for the server (DATABASE_URL, ...).
`;

const COMMON: OptionSpec = { json: { type: 'boolean' }, help: { type: 'boolean' } };

export const COMMANDS = {
  'clients:list': {},
  'clients:create': {
    name: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'client-id': { type: 'string' },
    limit: { type: 'string' },
  },
  'clients:rotate-secret': {},
  'users:create': { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
  usage: { by: { type: 'string' }, 'client-id': { type: 'string' }, 'user-id': { type: 'string' } },
  logs: {
    tail: { type: 'boolean' },
    limit: { type: 'string' },
    'client-id': { type: 'string' },
    'user-id': { type: 'string' },
    status: { type: 'string' },
    since: { type: 'string' },
  },
} satisfies Record<string, OptionSpec>;

export type CommandName = keyof typeof COMMANDS;

export interface Invocation {
  command: CommandName | 'help';
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

export function parseCommandLine(argv: string[]): Invocation {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help', values: {}, positionals: [] };
  }
  if (!(command in COMMANDS)) {
    throw new UsageError(`Unknown command "${command}"`);
  }
  const name = command as CommandName;
  let parsed: { values: Invocation['values']; positionals: string[] };
  try {
    const options: OptionSpec = { ...COMMON, ...COMMANDS[name] };
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages name the option ("Unknown option '--nme'"); the code prefix is noise.
    throw new UsageError(`${command}: ${(error as Error).message.split('. To specify a positional')[0]}`);
  }
  if (parsed.values.help) return { command: 'help', values: {}, positionals: [] };
  const expectedPositionals = name === 'clients:rotate-secret' ? 1 : 0;
  if (parsed.positionals.length !== expectedPositionals) {
    throw new UsageError(
      expectedPositionals === 1
        ? `${command} needs exactly one client id (got ${parsed.positionals.length})`
        : `${command} takes no arguments besides options (got "${parsed.positionals.join(' ')}")`,
    );
  }
  return { command: name, values: parsed.values, positionals: parsed.positionals };
}

export function requiredString(invocation: Invocation, option: string): string {
  const value = invocation.values[option];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`${invocation.command} needs --${option}`);
  }
  return value.trim();
}

export function optionalString(invocation: Invocation, option: string): string | undefined {
  const value = invocation.values[option];
  return typeof value === 'string' ? value : undefined;
}

export function optionalInteger(invocation: Invocation, option: string, min: number, max: number): number | undefined {
  const value = optionalString(invocation, option);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

export function optionalDate(invocation: Invocation, option: string): Date | undefined {
  const value = optionalString(invocation, option);
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`--${option} must be an ISO 8601 time such as 2026-01-31T12:00:00Z (got "${value}")`);
  }
  return date;
}

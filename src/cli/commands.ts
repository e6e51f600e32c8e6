import type { INestApplicationContext } from '@nestjs/common';
import { AdminService } from '../admin/admin.service.js';
import type { ApiCallLogEntity } from '../call-log/api-call-log.entity.js';
import { ApiCallLogRepository } from '../call-log/api-call-log.repository.js';
import { OAuthClientsService, type OAuthClientView } from '../oauth-provider/oauth-clients.service.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, OAuthUsersService } from '../oauth-provider/oauth-users.service.js';
import { randomSecret } from '../oauth-provider/secrets.js';
import { QuotaService } from '../quota/quota.service.js';
import {
  optionalDate,
  optionalInteger,
  optionalString,
  requiredString,
  UsageError,
  type CommandName,
  type Invocation,
} from './args.js';
import { table } from './table.js';

export interface Output {
  write(text: string): void;
}

interface Context {
  app: INestApplicationContext;
  invocation: Invocation;
  out: Output;
  json: boolean;
  /** Resolves when the process is asked to stop (Ctrl-C, SIGTERM): ends `logs --tail`. */
  stopped: Promise<void>;
}

const TAIL_POLL_MS = 1000;
const TAIL_PAGE = 500;

function printJson(out: Output, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

function clientRow(client: OAuthClientView) {
  return [client.clientId, client.name, client.apiCallLimit, client.redirectUris.join(' '), client.createdAt.toISOString()];
}

async function clientsList({ app, out, json }: Context): Promise<void> {
  const clients = await app.get(OAuthClientsService).list();
  if (json) return printJson(out, { items: clients });
  out.write(table(['CLIENT ID', 'NAME', 'LIMIT', 'REDIRECT URIS', 'CREATED'], clients.map(clientRow)));
}

function printSecret(out: Output, client: OAuthClientView, secret: string, verb: string): void {
  out.write(
    `${verb} OAuth client "${client.clientId}"${client.name ? ` (${client.name})` : ''}.\n` +
      `  Client ID:      ${client.clientId}\n` +
      `  Client Secret:  ${secret}\n` +
      `  Redirect URIs:  ${client.redirectUris.join(', ')}\n` +
      `  API call limit: ${client.apiCallLimit ?? 'the configured default'}\n` +
      'The secret is shown this once (only its hash is stored): paste it into the GPT editor now.\n',
  );
}

async function clientsCreate({ app, invocation, out, json }: Context): Promise<void> {
  const redirectUris = (invocation.values['redirect-uri'] as string[] | undefined) ?? [];
  if (redirectUris.length === 0) throw new UsageError('clients:create needs at least one --redirect-uri');
  const { client, clientSecret } = await app.get(OAuthClientsService).create({
    clientId: optionalString(invocation, 'client-id'),
    name: requiredString(invocation, 'name'),
    redirectUris,
    apiCallLimit: optionalInteger(invocation, 'limit', 0, Number.MAX_SAFE_INTEGER) ?? null,
  });
  if (json) return printJson(out, { client, clientSecret });
  printSecret(out, client, clientSecret, 'Created');
}

async function clientsRotateSecret({ app, invocation, out, json }: Context): Promise<void> {
  const { client, clientSecret } = await app.get(OAuthClientsService).rotateSecret(invocation.positionals[0]);
  if (json) return printJson(out, { client, clientSecret });
  printSecret(out, client, clientSecret, 'Rotated the secret of');
  out.write('The old secret no longer works.\n');
}

async function usersCreate({ app, invocation, out, json }: Context): Promise<void> {
  const email = requiredString(invocation, 'email');
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`--email must be an email address (got "${email}")`);
  const given = optionalString(invocation, 'password');
  if (given !== undefined && (given.length < MIN_PASSWORD_LENGTH || given.length > MAX_PASSWORD_LENGTH)) {
    throw new UsageError(`--password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`);
  }
  const password = given ?? randomSecret(12);
  const user = await app.get(OAuthUsersService).create({ email, password, name: optionalString(invocation, 'name') });
  const shown = given === undefined ? { password } : {};
  if (json) return printJson(out, { user, ...shown });
  out.write(`Created user ${user.email} (id ${user.id}).\n`);
  if (given === undefined) out.write(`  Password: ${password}\nGenerated and shown this once.\n`);
}

async function usage({ app, invocation, out, json }: Context): Promise<void> {
  const filter = { clientId: optionalString(invocation, 'client-id'), userId: optionalString(invocation, 'user-id') };
  const by = optionalString(invocation, 'by') ?? 'client';
  const admin = app.get(AdminService);
  if (by === 'client') {
    const report = await admin.usageByClient(filter);
    if (json) return printJson(out, report);
    out.write(table(['CLIENT ID', 'NAME', 'USERS', 'CALLS', 'LIMIT/USER'], report.items.map((i) => [i.clientId, i.name, i.users, i.count, i.limit])));
    out.write(`Total: ${report.totals.count} calls by ${report.totals.users} users of ${report.totals.clients} clients\n`);
    return;
  }
  if (by === 'user') {
    const report = await admin.usageByUser(filter);
    if (json) return printJson(out, report);
    out.write(table(['USER ID', 'EMAIL', 'CLIENTS', 'CALLS'], report.items.map((i) => [i.userId, i.email, i.clients, i.count])));
    out.write(`Total: ${report.totals.count} calls by ${report.totals.users} users of ${report.totals.clients} clients\n`);
    return;
  }
  if (by === 'counter') {
    const items = await app.get(QuotaService).usage(filter);
    if (json) return printJson(out, { items });
    out.write(table(['CLIENT ID', 'USER ID', 'CALLS', 'LIMIT'], items.map((i) => [i.clientId, i.userId, i.count, i.limit])));
    return;
  }
  throw new UsageError(`--by must be client, user or counter (got "${by}")`);
}

function logLine(row: ApiCallLogEntity): unknown[] {
  return [row.createdAt.toISOString(), row.method, row.path, row.status, `${row.durationMs} ms`, row.clientId, row.userId, row.apiCallCount];
}

const LOG_HEADERS = ['TIME', 'METHOD', 'PATH', 'STATUS', 'DURATION', 'CLIENT', 'USER', 'COUNT'];

async function logs({ app, invocation, out, json, stopped }: Context): Promise<void> {
  const status = optionalInteger(invocation, 'status', 100, 599);
  const filter = {
    clientId: optionalString(invocation, 'client-id'),
    userId: optionalString(invocation, 'user-id'),
    ...(status !== undefined && { status }),
    from: optionalDate(invocation, 'since'),
  };
  const limit = optionalInteger(invocation, 'limit', 1, 10_000) ?? 20;
  const repository = app.get(ApiCallLogRepository);
  // Newest `limit` rows, printed oldest first, as `tail` does.
  const latest = (await repository.findBefore(filter, undefined, limit)).reverse();
  const print = (rows: ApiCallLogEntity[], header: boolean) => {
    if (json) {
      for (const row of rows) out.write(`${JSON.stringify({ ...row, createdAt: row.createdAt.toISOString() })}\n`);
    } else if (rows.length > 0 || header) {
      const text = table(LOG_HEADERS, rows.map(logLine));
      // Followed lines come without the header: one table that grows.
      out.write(header ? text : text.split('\n').slice(2).join('\n'));
    }
  };
  print(latest, true);
  if (!invocation.values.tail) return;

  let lastId = latest.at(-1)?.id ?? 0;
  let stop = false;
  void stopped.then(() => (stop = true));
  while (!stop) {
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, TAIL_POLL_MS))]);
    if (stop) break;
    let rows: ApiCallLogEntity[];
    do {
      rows = await repository.findAfter(filter, lastId, TAIL_PAGE);
      print(rows, false);
      lastId = rows.at(-1)?.id ?? lastId;
    } while (rows.length === TAIL_PAGE && !stop);
  }
}

export const HANDLERS: Record<CommandName, (context: Context) => Promise<void>> = {
  'clients:list': clientsList,
  'clients:create': clientsCreate,
  'clients:rotate-secret': clientsRotateSecret,
  'users:create': usersCreate,
  usage,
  logs,
};

export type { Context };

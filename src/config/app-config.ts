import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { RedirectUriError, validateRedirectPattern } from '../oauth-provider/redirect-uri.js';

export type DatabaseConfig =
  | { type: 'sqlite'; path: string }
  | { type: 'postgres'; url: string };

/**
 * The whole configuration, typed. It is built once by {@link loadConfig}; the
 * rest of the code receives it by injection and never reads `process.env`.
 */
export class AppConfig {
  port: number;
  publicUrl: string;
  database: DatabaseConfig;
  /** Start-up tries to reach the database this many times, this far apart, before it gives up. */
  databaseConnectAttempts: number;
  databaseConnectRetryMs: number;

  oauthUserinfoUrl: string;
  userinfoUserField: string;
  userinfoClientField: string;
  userinfoCacheTtlSeconds: number;
  userinfoCacheMaxEntries: number;
  userinfoTimeoutMs: number;

  apiUsageLimitsByClientId: Readonly<Record<string, number>>;
  defaultApiUsageLimit: number;

  oauthClientId: string;
  /** Undefined: generated on the first start and printed once. */
  oauthClientSecret?: string;
  oauthRedirectUris: string[];
  demoUserEmail: string;
  /** Undefined: generated on the first start and printed once. */
  demoUserPassword?: string;
  allowSignup: boolean;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;

  /** Undefined: the admin API is off. */
  adminApiKey?: string;
  corsOrigins: string[];
  trustProxy: string | number | boolean;
  logLevel: LogLevel;
  /** `auto`: pretty when stdout is a terminal, JSON otherwise (see src/logging). */
  logFormat: LogFormat;
  logRetentionDays: number;
  /** How often old call log rows are pruned. */
  logPruneIntervalSeconds: number;
  requestTimeoutMs: number;
  /** Per client IP, on POST /api/oauth2/authorize (on top of the provider's per-email throttle). */
  signinRateLimitPerMinute: number;
  /** Per client IP, on POST /api/oauth2/token (ChatGPT's servers share few addresses: keep it generous). */
  tokenRateLimitPerMinute: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** One line that names the variable: start-up prints it and stops. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

class EnvReader {
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    return parseInteger(name, value, min, max);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    throw new ConfigError(name, `must be true or false (got "${value}")`);
  }

  list(name: string, fallback: string[]): string[] {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  url(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(name, `must be an absolute http(s) URL (got "${value}")`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError(name, `must use http or https (got "${parsed.protocol}")`);
    }
    return value.replace(/\/+$/, '');
  }
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(value)) {
    throw new ConfigError(name, `must be an integer (got "${value}")`);
  }
  const parsed = Number(value);
  if (parsed < min || parsed > max) {
    throw new ConfigError(name, `must be between ${min} and ${max} (got ${parsed})`);
  }
  return parsed;
}

function parseDatabaseUrl(value: string): DatabaseConfig {
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    if (path === '') throw new ConfigError('DATABASE_URL', 'needs a path after "sqlite:" (or ":memory:")');
    return { type: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { type: 'postgres', url: value };
  }
  const scheme = value.split(':')[0];
  throw new ConfigError(
    'DATABASE_URL',
    `has an unknown scheme "${scheme}:" (use sqlite:<path>, sqlite::memory: or postgres://...)`,
  );
}

function parseUsageLimits(value: string | undefined): Record<string, number> {
  const name = 'API_USAGE_LIMITS_BY_CLIENT_ID';
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError(name, 'must be a JSON object of client id -> limit (the JSON does not parse)');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(name, 'must be a JSON object of client id -> limit');
  }
  const limits: Record<string, number> = {};
  for (const [clientId, limit] of Object.entries(parsed)) {
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
      throw new ConfigError(name, `has an invalid limit for client "${clientId}": must be a non-negative integer`);
    }
    limits[clientId] = limit;
  }
  return limits;
}

function parseTrustProxy(value: string | undefined): string | number | boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** `.env` values yield to the real environment, as dotenv does. */
export function readEnvironment(env: Env = process.env, dotenvPath = resolve('.env')): Env {
  if (!existsSync(dotenvPath)) return env;
  return { ...parseDotenv(readFileSync(dotenvPath)), ...env };
}

export function loadConfig(env: Env): AppConfig {
  const read = new EnvReader(env);
  const port = read.integer('PORT', 3000, { min: 0, max: 65535 });
  const publicUrl = read.url('PUBLIC_URL', `http://localhost:${port}`);
  const logLevel = read.string('LOG_LEVEL', 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }

  // NODE_ENV only picks the default format; LOG_FORMAT always wins.
  const nodeEnv = read.raw('NODE_ENV');
  const defaultFormat: LogFormat = nodeEnv === 'development' ? 'pretty' : nodeEnv === 'production' ? 'json' : 'auto';
  const logFormat = read.string('LOG_FORMAT', defaultFormat) as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) {
    throw new ConfigError('LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')} (got "${logFormat}")`);
  }

  const config: AppConfig = {
    port,
    publicUrl,
    database: parseDatabaseUrl(read.string('DATABASE_URL', 'sqlite:./data/app.db')),
    databaseConnectAttempts: read.integer('DATABASE_CONNECT_ATTEMPTS', 30, { min: 1 }),
    databaseConnectRetryMs: read.integer('DATABASE_CONNECT_RETRY_MS', 1000),

    oauthUserinfoUrl: read.url('OAUTH_USERINFO_URL', `http://127.0.0.1:${port}/api/oauth2/userinfo`),
    userinfoUserField: read.string('USERINFO_USER_FIELD', 'id'),
    userinfoClientField: read.string('USERINFO_CLIENT_FIELD', 'cid'),
    userinfoCacheTtlSeconds: read.integer('USERINFO_CACHE_TTL_SECONDS', 60),
    userinfoCacheMaxEntries: read.integer('USERINFO_CACHE_MAX_ENTRIES', 10_000, { min: 1 }),
    userinfoTimeoutMs: read.integer('USERINFO_TIMEOUT_MS', 5000, { min: 1 }),

    apiUsageLimitsByClientId: parseUsageLimits(read.raw('API_USAGE_LIMITS_BY_CLIENT_ID')),
    defaultApiUsageLimit: read.integer('DEFAULT_API_USAGE_LIMIT', 100),

    oauthClientId: read.string('OAUTH_CLIENT_ID', 'demo-gpt'),
    oauthClientSecret: read.raw('OAUTH_CLIENT_SECRET'),
    oauthRedirectUris: read.list('OAUTH_REDIRECT_URIS', [
      'https://chat.openai.com/aip/*/oauth/callback',
      'https://chatgpt.com/aip/*/oauth/callback',
    ]),
    demoUserEmail: read.string('DEMO_USER_EMAIL', 'demo@example.com'),
    demoUserPassword: read.raw('DEMO_USER_PASSWORD'),
    allowSignup: read.boolean('ALLOW_SIGNUP', true),
    accessTokenTtlSeconds: read.integer('ACCESS_TOKEN_TTL_SECONDS', 3600, { min: 1 }),
    refreshTokenTtlSeconds: read.integer('REFRESH_TOKEN_TTL_SECONDS', 2_592_000, { min: 1 }),

    adminApiKey: read.raw('ADMIN_API_KEY'),
    corsOrigins: read.list('CORS_ORIGINS', ['https://chat.openai.com', 'https://chatgpt.com']),
    trustProxy: parseTrustProxy(read.raw('TRUST_PROXY')),
    logLevel,
    logFormat,
    logRetentionDays: read.integer('LOG_RETENTION_DAYS', 30, { min: 1 }),
    logPruneIntervalSeconds: read.integer('LOG_PRUNE_INTERVAL_SECONDS', 3600, { min: 1 }),
    requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', 40_000, { min: 1 }),
    signinRateLimitPerMinute: read.integer('SIGNIN_RATE_LIMIT_PER_MINUTE', 30, { min: 1 }),
    tokenRateLimitPerMinute: read.integer('TOKEN_RATE_LIMIT_PER_MINUTE', 300, { min: 1 }),
  };
  if (config.adminApiKey !== undefined && config.adminApiKey.length < 16) {
    throw new ConfigError('ADMIN_API_KEY', 'must be at least 16 characters long');
  }
  for (const uri of config.oauthRedirectUris) {
    try {
      validateRedirectPattern(uri);
    } catch (error) {
      if (error instanceof RedirectUriError) throw new ConfigError('OAUTH_REDIRECT_URIS', `has a bad entry: ${error.message}`);
      throw error;
    }
  }
  return Object.freeze(config);
}

import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      database: { type: 'sqlite', path: './data/app.db' },
      oauthUserinfoUrl: 'http://127.0.0.1:3000/api/oauth2/userinfo',
      userinfoUserField: 'id',
      userinfoClientField: 'cid',
      userinfoCacheTtlSeconds: 60,
      userinfoTimeoutMs: 5000,
      apiUsageLimitsByClientId: {},
      defaultApiUsageLimit: 100,
      oauthClientId: 'demo-gpt',
      oauthClientSecret: undefined,
      oauthRedirectUris: [
        'https://chat.openai.com/aip/*/oauth/callback',
        'https://chatgpt.com/aip/*/oauth/callback',
      ],
      demoUserEmail: 'demo@example.com',
      demoUserPassword: undefined,
      allowSignup: true,
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlSeconds: 2592000,
      adminApiKey: undefined,
      corsOrigins: ['https://chat.openai.com', 'https://chatgpt.com'],
    });
  });

  it('derives PUBLIC_URL and the loopback userinfo URL from PORT', () => {
    const config = loadConfig({ PORT: '8080' });
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.oauthUserinfoUrl).toBe('http://127.0.0.1:8080/api/oauth2/userinfo');
  });

  it('parses every database URL form', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database).toEqual({ type: 'sqlite', path: ':memory:' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/app' }).database).toEqual({
      type: 'postgres',
      url: 'postgres://u:p@db:5432/app',
    });
  });

  it('parses the per-client limits', () => {
    expect(loadConfig({ API_USAGE_LIMITS_BY_CLIENT_ID: '{"a": 5, "b": 0}' }).apiUsageLimitsByClientId).toEqual({
      a: 5,
      b: 0,
    });
  });

  it.each([
    ['API_USAGE_LIMITS_BY_CLIENT_ID', '{not json', /does not parse/],
    ['API_USAGE_LIMITS_BY_CLIENT_ID', '[1,2]', /JSON object/],
    ['API_USAGE_LIMITS_BY_CLIENT_ID', '{"gpt": -1}', /client "gpt"/],
    ['API_USAGE_LIMITS_BY_CLIENT_ID', '{"gpt": "10"}', /client "gpt"/],
    ['DATABASE_URL', 'mysql://localhost/db', /unknown scheme "mysql:"/],
    ['DATABASE_URL', 'sqlite:', /needs a path/],
    ['DEFAULT_API_USAGE_LIMIT', '-5', /between 0 and/],
    ['DEFAULT_API_USAGE_LIMIT', 'ten', /must be an integer/],
    ['PORT', '70000', /between 0 and 65535/],
    ['USERINFO_TIMEOUT_MS', '0', /between 1 and/],
    ['USERINFO_CACHE_TTL_SECONDS', '1.5', /must be an integer/],
    ['OAUTH_USERINFO_URL', 'ftp://idp/userinfo', /http or https/],
    ['PUBLIC_URL', 'not a url', /absolute http\(s\) URL/],
    ['ALLOW_SIGNUP', 'maybe', /true or false/],
    ['LOG_LEVEL', 'loud', /must be one of/],
    ['ADMIN_API_KEY', 'short', /at least 16/],
  ])('refuses %s=%s with one line naming the variable', (variable, value, problem) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`Invalid configuration: ${variable} `)).toBe(true);
    expect(message).toMatch(problem);
    expect(message).not.toContain('\n');
  });
});

import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../config/app-config.js';
import { logDestination, pinoOptions } from './logger-options.js';
import { urlForLog } from './log-redaction.js';

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return () => chunks.join('');
}

async function writeOneLine(env: Record<string, string>, isTTY: boolean): Promise<string> {
  const config = loadConfig(env);
  const stream = Object.assign(new PassThrough(), { isTTY });
  const read = collect(stream);
  const logger = pino(pinoOptions(config), await logDestination(config, stream));
  logger.info({ password: 'hunter2' }, 'hello operator');
  await new Promise((resolve) => setImmediate(resolve));
  return read();
}

describe('log format', () => {
  it('writes JSON to a pipe or file by default', async () => {
    const text = await writeOneLine({}, false);
    expect(JSON.parse(text)).toMatchObject({ level: 'info', msg: 'hello operator', password: '[REDACTED]' });
  });

  it('writes readable lines to a terminal by default, with the same redaction', async () => {
    const text = await writeOneLine({}, true);
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toContain('hello operator');
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain('hunter2');
  });

  it('follows NODE_ENV when LOG_FORMAT is unset, and LOG_FORMAT when set', async () => {
    const development = await writeOneLine({ NODE_ENV: 'development' }, false);
    expect(() => JSON.parse(development)).toThrow();
    expect(JSON.parse(await writeOneLine({ NODE_ENV: 'production' }, true)).msg).toBe('hello operator');
    expect(JSON.parse(await writeOneLine({ NODE_ENV: 'development', LOG_FORMAT: 'json' }, true)).msg).toBe('hello operator');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT must be one of auto, json, pretty (got "xml")');
  });
});

describe('urlForLog', () => {
  it('masks secret-looking query values and one-time codes, and keeps the rest', () => {
    expect(urlForLog('/docs/oauth2-redirect.html?code=abc&state=xyz')).toBe(
      '/docs/oauth2-redirect.html?code=%5BREDACTED%5D&state=xyz',
    );
    expect(urlForLog('/x?access_token=t&client_secret=s&limit=5')).toBe(
      '/x?access_token=%5BREDACTED%5D&client_secret=%5BREDACTED%5D&limit=5',
    );
    expect(urlForLog('/api/todos')).toBe('/api/todos');
  });
});

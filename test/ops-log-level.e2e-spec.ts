import { Logger } from '@nestjs/common';
import request from 'supertest';
import { LogLines } from './support/log-lines.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** LOG_LEVEL decides what is written; a file of its own, since nestjs-pino keeps one HTTP logger per process. */
describe('LOG_LEVEL', () => {
  let t: TestApp;
  const logs = new LogLines();

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, logDestination: logs });
  });
  afterAll(() => t?.close());

  it('drops lines below the level and keeps those at or above it', async () => {
    const ok = await request(t.url).get('/health').expect(200);
    const unauthorized = await request(t.url).get('/api/todos').expect(401);
    new Logger('LevelProbe').log('an info line');
    new Logger('LevelProbe').warn('a warn line');

    expect(logs.withRequestId(ok.headers['x-request-id'])).toEqual([]);
    expect(logs.withRequestId(unauthorized.headers['x-request-id'])).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'GET /api/todos 401' }),
    ]);
    expect(logs.lines.some((line) => line.msg === 'an info line')).toBe(false);
    expect(logs.lines.find((line) => line.msg === 'a warn line')).toMatchObject({ level: 'warn', context: 'LevelProbe' });
    expect(logs.lines.every((line) => ['warn', 'error', 'fatal'].includes(line.level))).toBe(true);
  });
});

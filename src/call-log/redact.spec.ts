import { bodyForLog, MAX_LOGGED_BODY_BYTES, REDACTED, redact } from './redact.js';

describe('redact', () => {
  it('hides secret-looking fields at any depth, and bearer-looking values under any name', () => {
    expect(
      redact({
        title: 'ok',
        password: 'p',
        client_secret: 's',
        refresh_token: 'r',
        Authorization: 'Bearer abc',
        items: [{ apiKey: 'k' }, { note: 'Bearer xyz' }],
        cookie: 'sid=1',
      }),
    ).toEqual({
      title: 'ok',
      password: REDACTED,
      client_secret: REDACTED,
      refresh_token: REDACTED,
      Authorization: REDACTED,
      items: [{ apiKey: REDACTED }, { note: REDACTED }],
      cookie: REDACTED,
    });
  });

  it('keeps ordinary fields as they are', () => {
    expect(redact({ title: 'footprint', status: 'done', description: 'x' })).toEqual({
      title: 'footprint',
      status: 'done',
      description: 'x',
    });
  });
});

describe('bodyForLog', () => {
  it('stores nothing for an absent or empty body', () => {
    expect(bodyForLog(undefined)).toBeNull();
    expect(bodyForLog({})).toBeNull();
  });

  it('cuts at 4 KB on a character boundary and says how long the body was', () => {
    const text = bodyForLog({ description: '€'.repeat(3000) })!;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_LOGGED_BODY_BYTES);
    expect(text).toMatch(/…\[cut, 9018 bytes\]$/);
    expect(text).not.toContain('\uFFFD');
  });
});

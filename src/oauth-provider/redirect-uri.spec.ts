import { matchesRedirectPattern, RedirectUriError, validateRedirectPattern } from './redirect-uri.js';

const CHATGPT = 'https://chatgpt.com/aip/*/oauth/callback';

describe('redirect URI patterns', () => {
  it.each([
    ['https://chatgpt.com/aip/g-abc123/oauth/callback', true],
    ['https://chatgpt.com/aip/g-ABC_1.2~x/oauth/callback', true],
    ['https://chatgpt.com/aip//oauth/callback', false],
    ['https://chatgpt.com/aip/a/b/oauth/callback', false],
    ['https://chatgpt.com/aip/../oauth/callback', false],
    ['https://chatgpt.com/aip/./oauth/callback', false],
    ['https://chatgpt.com/aip/a%2Fb/oauth/callback', false],
    ['https://chatgpt.com/aip/g-1/oauth/callback?x=1', false],
    ['https://chatgpt.com/aip/g-1/oauth/callback#x', false],
    ['https://chatgpt.com.evil.example/aip/g-1/oauth/callback', false],
    ['http://chatgpt.com/aip/g-1/oauth/callback', false],
    ['https://chatgpt.com/aip/g-1/oauth/callback/', false],
  ])('%s matches the ChatGPT pattern: %s', (candidate, expected) => {
    expect(matchesRedirectPattern(CHATGPT, candidate)).toBe(expected);
  });

  it('matches a pattern without * exactly, dots included', () => {
    expect(matchesRedirectPattern('https://app.example.com/cb', 'https://app.example.com/cb')).toBe(true);
    expect(matchesRedirectPattern('https://app.example.com/cb', 'https://appXexample.com/cb')).toBe(false);
    expect(matchesRedirectPattern('https://app.example.com/cb', 'https://app.example.com/cb2')).toBe(false);
  });

  it('treats the dots of a * pattern literally', () => {
    expect(matchesRedirectPattern(CHATGPT, 'https://chatgptXcom/aip/g-1/oauth/callback')).toBe(false);
  });

  it.each(['https://chatgpt.com/aip/*/oauth/callback', 'http://localhost:3000/docs/oauth2-redirect.html', 'https://example.com/cb?client=gpt'])(
    'accepts %s for registration',
    (pattern) => expect(() => validateRedirectPattern(pattern)).not.toThrow(),
  );

  it.each([
    ['relative/path', /not an absolute URL/],
    ['javascript:alert(1)', /must use https/],
    ['https://*.example.com/cb', /not in the host/],
    ['https://example.com/a*/cb', /whole path segment/],
    ['https://example.com/cb?x=*', /not in the query/],
    ['https://example.com/cb#frag', /fragment/],
  ])('refuses %s', (pattern, message) => {
    expect(() => validateRedirectPattern(pattern)).toThrow(RedirectUriError);
    expect(() => validateRedirectPattern(pattern)).toThrow(message);
  });
});

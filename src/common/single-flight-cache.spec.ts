import { SingleFlightCache } from './single-flight-cache.js';

describe('SingleFlightCache', () => {
  it('shares one load among concurrent misses, then answers from memory', async () => {
    const cache = new SingleFlightCache<number>(60_000, 10);
    let loads = 0;
    const load = async () => ++loads;
    const results = await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    expect(results).toEqual([1, 1, 1]);
    expect(cache.get('k', load)).toBe(1);
    expect(loads).toBe(1);
  });

  it('keeps nothing with a TTL of 0', async () => {
    const cache = new SingleFlightCache<number>(0, 10);
    let loads = 0;
    await cache.get('k', async () => ++loads);
    await cache.get('k', async () => ++loads);
    expect(loads).toBe(2);
  });

  it('drops the least recently used entry when full', async () => {
    const cache = new SingleFlightCache<string>(60_000, 2);
    const loaded: string[] = [];
    const load = (key: string) => async () => (loaded.push(key), key);
    for (const key of ['a', 'b', 'a', 'c', 'a', 'b']) await cache.get(key, load(key));
    expect(loaded).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not store what a load started before invalidate() returns', async () => {
    const cache = new SingleFlightCache<string>(60_000, 10);
    let finish!: (value: string) => void;
    const stale = cache.get('k', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.invalidate('k');
    finish('stale');
    expect(await stale).toBe('stale');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
  });
});

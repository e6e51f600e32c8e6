interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A small in-memory cache for values read on every protected call: entries
 * live `ttlMs` (0: nothing is kept), at most `maxEntries` of them, the least
 * recently used going first (a Map keeps insertion order; a hit moves to the
 * end). Concurrent misses for one key share one load.
 */
export class SingleFlightCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Promise<V>>();
  /** Bumped by invalidate(), so a load that started before cannot store a stale answer. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The cached value (synchronously, on a hit), or the load under way for `key`, or a new one. */
  get(key: string, load: () => Promise<V>): V | Promise<V> {
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      if (cached.expiresAt > Date.now()) {
        this.entries.set(key, cached);
        return cached.value;
      }
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const generation = this.generation;
    const loading = load()
      .then((value) => {
        if (generation === this.generation) this.remember(key, value);
        return value;
      })
      .finally(() => {
        if (this.inFlight.get(key) === loading) this.inFlight.delete(key);
      });
    this.inFlight.set(key, loading);
    return loading;
  }

  invalidate(key: string): void {
    this.generation++;
    this.entries.delete(key);
    this.inFlight.delete(key);
  }

  private remember(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }
}

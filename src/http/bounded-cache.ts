// A small least-recently-used cache with a fixed number of entries, for figures that are costly to compute and never
// change for a given key. Each app creates its own (no module state); the key must name everything the value depends
// on, so an entry is never invalidated, only pushed out by newer ones.
export type BoundedCache<K, V> = {
  /** The cached value, computing and keeping it first when it is not there. */
  getOrCompute(key: K, compute: () => V): V;
  readonly size: number;
};

export function createBoundedCache<K, V>(maxEntries: number): BoundedCache<K, V> {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`a bounded cache needs at least one entry, not ${maxEntries}`);
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recently used entry first.
  const entries = new Map<K, V>();
  return {
    getOrCompute(key, compute) {
      if (entries.has(key)) {
        const value = entries.get(key) as V;
        entries.delete(key);
        entries.set(key, value);
        return value;
      }
      const value = compute();
      entries.set(key, value);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}

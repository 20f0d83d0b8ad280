/**
 * A Map that forgets its oldest key past `capacity`. Eviction order is kept in a circular array:
 * the obvious `map.delete(map.keys().next().value)` is O(deleted entries) in V8 (the iterator walks
 * the holes left by earlier deletes) and cost ~12 µs per insert at 10k entries.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  private readonly order: (K | undefined)[];
  private next = 0;
  constructor(readonly capacity: number) {
    this.order = new Array<K | undefined>(Math.max(1, capacity));
  }
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): void {
    if (this.map.has(key)) {
      this.map.set(key, value);
      return;
    }
    const evict = this.order[this.next];
    if (evict !== undefined) this.map.delete(evict);
    this.order[this.next] = key;
    this.next = (this.next + 1) % this.order.length;
    this.map.set(key, value);
  }
}

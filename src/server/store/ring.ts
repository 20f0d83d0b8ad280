/**
 * A fixed-capacity FIFO: push evicts the oldest entry once full. O(1) push and indexed get.
 * Storage grows with use (until full, `head` is 0 and pushes append), so an idle channel with a
 * 10,000-message capacity costs an empty array, not 80 KB of slots.
 */
export class Ring<T> {
  private readonly items: (T | undefined)[] = [];
  private head = 0; // index of the oldest
  private len = 0;
  /** `onGrow` is told each time `length` goes up (not when a full ring evicts): the app's history total. */
  constructor(
    readonly capacity: number,
    private readonly onGrow?: () => void,
  ) {}
  get length(): number {
    return this.len;
  }
  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.len < this.capacity) {
      this.items[(this.head + this.len) % this.capacity] = item;
      this.len++;
      this.onGrow?.();
    } else {
      this.items[this.head] = item;
      this.head = (this.head + 1) % this.capacity;
    }
  }
  /** i = 0 is the oldest entry. */
  get(i: number): T {
    return this.items[(this.head + i) % this.capacity] as T;
  }
}

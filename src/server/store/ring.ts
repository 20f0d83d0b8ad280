/** A fixed-capacity FIFO: push evicts the oldest entry once full. O(1) push and indexed get. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private head = 0; // index of the oldest
  private len = 0;
  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }
  get length(): number {
    return this.len;
  }
  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.len < this.capacity) {
      this.items[(this.head + this.len) % this.capacity] = item;
      this.len++;
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

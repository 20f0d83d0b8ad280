// Publish promises, kept in JS by publish id, so that a publish costs one JS→wasm call and an
// ACK frame one wasm→JS call however many publishes it acknowledges (RTN7a).

export class Publishes {
  constructor() {
    this.waiting = new Map();
  }

  /** The promise of publish `id`, settled by `acked` or `failed`. */
  wait(id) {
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  /**
   * Resolves a run of ACKed publishes. `nums` holds, per publish: its id, the number of serials
   * n, then n pairs of offsets into `text` (start −1 for a null serial). Read in full before any
   * promise settles (`nums` may be a view into wasm memory).
   */
  acked(text, nums) {
    const done = [];
    for (let i = 0; i < nums.length; ) {
      const id = nums[i];
      const n = nums[i + 1];
      i += 2;
      const serials = new Array(n);
      for (let k = 0; k < n; k++, i += 2) {
        serials[k] = nums[i] < 0 ? null : text.substring(nums[i], nums[i + 1]);
      }
      done.push(id, { serials });
    }
    for (let k = 0; k < done.length; k += 2) {
      const w = this.waiting.get(done[k]);
      if (w !== undefined) {
        this.waiting.delete(done[k]);
        w.resolve(done[k + 1]);
      }
    }
  }

  /** Rejects publish `id` with `error` (NACK, RTN7a; or the connection gave up, RTN7e). */
  failed(id, error) {
    const w = this.waiting.get(id);
    if (w !== undefined) {
      this.waiting.delete(id);
      w.reject(error);
    }
  }
}

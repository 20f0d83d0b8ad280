// Listeners, kept in JS: a channel's message listeners (RTL7, RTL8), so that delivering a frame
// costs one wasm→JS call whatever the number of messages and listeners, and the connection's
// and channels' state listeners (RTN4, RTL2).
//
// Dispatch follows ably-js's EventEmitter (src/common/lib/util/eventemitter.ts): each message is
// an emit over a snapshot of the listeners, unnamed ones first, then those for its name; a
// listener that throws is reported and the others still run; a listener removed while a message
// is being delivered still gets that message (it is in the snapshot) but no later one. The
// arrays are replaced, never mutated, so taking the snapshot costs nothing.
import { frameMessages } from './json_frames.js';
import { unpackMessages } from './messages.js';

const NONE = Object.freeze([]);

function without(list, callback) {
  const kept = list.filter((l) => l !== callback);
  return kept.length === list.length ? list : kept.length ? kept : NONE;
}

function call(listener, message) {
  try {
    listener(message);
  } catch (e) {
    console.error('ably: a listener threw', e);
  }
}

// An exception must not escape into wasm: it would unwind through the Rust driver loop and
// leave it mid-dispatch. A frame whose messages cannot be built is dropped, as the core drops
// a frame it cannot decode.
function built(build) {
  try {
    return build();
  } catch (e) {
    console.warn('ably: dropped an inbound frame', e);
    return NONE;
  }
}

/** Listeners for any event or for one event name, emitted to as ably-js's EventEmitter does. */
export class Emitter {
  constructor() {
    this.any = NONE;
    this.named = new Map();
  }

  /** `on([name], callback)` / `subscribe([name], callback)`: `name` undefined for every event. */
  add(name, callback) {
    if (name === undefined) {
      this.any = [...this.any, callback];
    } else {
      this.named.set(name, [...(this.named.get(name) ?? NONE), callback]);
    }
  }

  /** `off()` / `unsubscribe()`, `(callback)`, `(name)` or `(name, callback)` (RTL8). */
  remove(nameOrCallback, callback) {
    if (nameOrCallback === undefined || nameOrCallback === null) {
      if (typeof callback === 'function') return this.remove(callback);
      this.any = NONE;
      this.named = new Map();
    } else if (typeof nameOrCallback === 'function') {
      this.any = without(this.any, nameOrCallback);
      for (const [name, list] of this.named) this.#set(name, without(list, nameOrCallback));
    } else if (typeof callback === 'function') {
      this.#set(String(nameOrCallback), without(this.named.get(String(nameOrCallback)) ?? NONE, callback));
    } else {
      this.named.delete(String(nameOrCallback));
    }
  }

  #set(name, list) {
    if (list === NONE) this.named.delete(name);
    else this.named.set(name, list);
  }

  /** One event (a state change) to the listeners for any event and those for `name`. */
  emit(name, value) {
    const any = this.any;
    const named = this.named.size === 0 ? undefined : this.named.get(name);
    for (let i = 0; i < any.length; i++) call(any[i], value);
    if (named !== undefined) for (let i = 0; i < named.length; i++) call(named[i], value);
  }
}

/** A channel's message listeners: one frame at a time, each message an emit by its name. */
export class Subscriptions extends Emitter {
  /** One frame's messages (packed by src/wasm/batch.rs), in order. */
  deliver(text, nums, bytes) {
    if (this.any === NONE && this.named.size === 0) return;
    this.#dispatch(built(() => unpackMessages(text, nums, bytes))); // before any listener can touch wasm memory
  }

  /** One JSON MESSAGE frame parsed in JS (json_frames.js), in order. */
  deliverParsed(pm) {
    if (this.any === NONE && this.named.size === 0) return;
    this.#dispatch(built(() => frameMessages(pm)));
  }

  #dispatch(messages) {
    for (const m of messages) this.emit(m.name, m);
  }
}

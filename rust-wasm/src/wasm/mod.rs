//! The JavaScript-facing shell (wasm32 only): a driver loop around the sans-I/O core.
//!
//! Everything here is I/O glue; protocol decisions live in the core. The realtime client is a
//! driver loop in the shape of quinn's `ConnectionDriver`: every input (a WebSocket
//! frame, a close, the one timer, an app command) is fed to [`Connection`](crate::Connection),
//! then `poll_transmit` is drained into the socket with one reused buffer, the timer is re-armed
//! only when `poll_timeout` changed, and `poll_event` is dispatched to JS callbacks and promises.
//!
//! | file          | role                                                                   |
//! |---------------|------------------------------------------------------------------------|
//! | `driver.rs`   | the realtime driver loop and event dispatch                            |
//! | `batch.rs`    | packs a frame's messages (or an ACK's serials) for one call into JS    |
//! | `snippets.rs` | the hand-written JS in `js/`: listeners, publish promises, unpacking   |
//! | `realtime.rs` | `RealtimeClient`, `RealtimeChannel` (the JS API)                       |
//! | `rest.rs`     | `RestClient`, `RestChannel`, `PaginatedResult` over `fetch`            |
//! | `socket.rs`   | a WebSocket that owns its listener closures                            |
//! | `timer.rs`    | one `setTimeout` that owns its closure                                 |
//! | `js.rs`       | globals (`setTimeout`, `fetch`, `performance`, `crypto`) and JS glue   |
//! | `convert.rs`  | options, messages and errors between JS values and core types          |
//! | `memory.rs`   | counting allocator, `wasmMemoryBytes()`, `heapBytes()`                 |
//! | `types.rs`    | hand-written TypeScript declarations                                   |
//!
//! Worker-safe: nothing touches `window`; `setTimeout`, `fetch`, `performance` and `crypto` are
//! reached as globals.
// `#[wasm_bindgen]` exports are reached from JS, not from Rust: `unreachable_pub` cannot see that.
#![allow(unreachable_pub)]

mod batch;
mod convert;
#[cfg(feature = "realtime")]
mod driver;
mod js;
mod memory;
#[cfg(feature = "realtime")]
mod realtime;
#[cfg(feature = "rest")]
mod rest;
mod snippets;
#[cfg(feature = "realtime")]
mod socket;
#[cfg(feature = "realtime")]
mod timer;
mod types;

use wasm_bindgen::prelude::*;

/// The SDK version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

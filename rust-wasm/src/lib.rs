//! A Rust Ably SDK.
//!
//! The protocol core in this crate does **no I/O and reads no clock**: it turns bytes and
//! timestamps given to it into values and bytes to send. That keeps it testable natively with
//! `cargo test`; the browser shell in `wasm` (compiled only for `wasm32`) drives it with real
//! WebSockets, `fetch` and timers.
#![warn(missing_docs, unreachable_pub)]

mod codec;
mod protocol;

pub use codec::{decode, encode, DecodeError, Format};
pub use protocol::{Action, ProtocolMessage};

#[cfg(target_arch = "wasm32")]
mod wasm;

/// This SDK's version, as in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

//! A Rust Ably SDK: a sans-I/O protocol core plus a thin wasm-bindgen shell for browsers.
//!
//! # No I/O, no clock
//!
//! The protocol core in this crate has **no networking code and never reads a clock or a
//! random source**: like quinn-proto and rustls, it turns bytes and timestamps handed to it into
//! values and bytes to send. Time is an argument (`now`), randomness is seeded through config.
//! That keeps it deterministic and testable natively with `cargo test`; the browser shell in
//! `wasm` (compiled only for `wasm32`) drives it with a WebSocket, `fetch` and one timer.
//!
//! - [`protocol`]: wire types (TR2 actions, TR3 flags, TR4 ProtocolMessage, TM2 Message, payload
//!   encodings).
//! - [`codec`]: JSON and msgpack encode/decode with limits.
//! - [`Connection`]: the realtime connection and channel state machines (RTN*, RTL*).
//! - [`rest`]: REST requests as values and response parsing (RSC*, RSL*).
#![warn(missing_docs, unreachable_pub)]

mod channel;
pub mod codec;
mod connection;
mod error;
mod io;
mod options;
pub mod protocol;
pub mod rest;
mod state;
mod time;
mod util;

pub use codec::{decode, encode, DecodeError, Format};
pub use connection::Connection;
pub use error::Error;
pub use io::{ChannelId, Event, PingId, PublishId, Transmit};
pub use options::{Auth, ClientOptions, Timeouts};
pub use protocol::{
    Action, ConnectionDetails, Data, ErrorInfo, Flags, Message, PresenceMessage, ProtocolMessage,
    PublishResult,
};
pub use state::{ChannelState, ChannelStateChange, ConnectionState, ConnectionStateChange, Settle};
pub use time::Instant;

#[cfg(any(target_arch = "wasm32", ably_lint_wasm))]
mod wasm;

/// This SDK's version, as in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests;

/// The README's Rust examples, compiled and run by `cargo test`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

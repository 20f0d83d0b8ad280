//! Connection and channel states and their changes: plain values that the connection, the
//! channels and the events they emit all use, so those modules depend on this one and never on
//! each other in both directions.

mod channel;
mod connection;
mod settle;

pub use channel::{ChannelState, ChannelStateChange};
pub(crate) use connection::PublishRule;
pub use connection::{ConnectionState, ConnectionStateChange};
pub use settle::Settle;

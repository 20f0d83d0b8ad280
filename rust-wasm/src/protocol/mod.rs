//! Wire types of the Ably realtime protocol, version 6 (TR*, TM*, TP*, TI*, CD*).

mod action;
mod connection_details;
mod error_info;
mod flags;
mod message;
mod payload;
mod protocol_message;
mod wire;

pub use action::Action;
pub use connection_details::ConnectionDetails;
pub use error_info::ErrorInfo;
pub use flags::Flags;
pub use message::{Message, PresenceAction, PresenceMessage};
pub use payload::Data;
pub use protocol_message::{AuthDetails, ProtocolMessage, PublishResult};

/// Protocol version sent as `v=` and `X-Ably-Version` (RTN2f, RSC7e).
pub const PROTOCOL_VERSION: &str = "6";

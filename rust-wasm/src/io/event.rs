//! What the core hands to the app (events), and the handles they carry.

use std::time::Duration;

use crate::protocol::{ErrorInfo, Message, PresenceMessage, PublishResult};
use crate::state::{ChannelStateChange, ConnectionStateChange};

/// A channel handle: cheap to copy and to pass to JS; see [`Connection::channel`](crate::Connection::channel).
/// Opaque: only the connection that made it knows what it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(pub(crate) u32);

/// Identifies one `publish` call; its outcome arrives as [`Event::Published`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublishId(pub(crate) u64);

/// Identifies one `ping` call; its outcome arrives as [`Event::Pong`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PingId(pub(crate) u64);

/// Something the app should hear about, from [`Connection::poll_event`](crate::Connection::poll_event).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The connection changed state, or was updated (RTN4, RTN24).
    ConnectionState(ConnectionStateChange),
    /// A channel changed state, or was updated (RTL2, RTL12).
    ChannelState {
        /// Which channel.
        channel: ChannelId,
        /// The change.
        change: ChannelStateChange,
    },
    /// Messages delivered on an attached channel, one frame's worth, payloads decoded and
    /// `id`/`connectionId`/`timestamp` filled from the frame (TM2a, TM2c, TM2f). Hand the whole
    /// batch to JS at once.
    Messages {
        /// Which channel.
        channel: ChannelId,
        /// The messages, in order.
        messages: Vec<Message>,
    },
    /// Presence messages (PRESENCE or SYNC) on an attached channel.
    Presence {
        /// Which channel.
        channel: ChannelId,
        /// The presence messages, in order.
        presence: Vec<PresenceMessage>,
    },
    /// A publish completed: ACK (with its `res` entry, if the server sent one) or NACK/failure
    /// (RTN7a, RTN7e).
    Published {
        /// From `publish`.
        id: PublishId,
        /// Serials on ACK; the error on NACK or when the connection gave up.
        result: Result<PublishResult, ErrorInfo>,
    },
    /// A `ping` completed (RTN13): the round trip until the HEARTBEAT with its id came back, or
    /// the error (no echo within `realtimeRequestTimeout`, or the connection left `connected`).
    Pong {
        /// From `ping`.
        id: PingId,
        /// Round-trip time, or why there is none.
        result: Result<Duration, ErrorInfo>,
    },
}

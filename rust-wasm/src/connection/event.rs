//! What the core hands to the driver (transport work) and to the app (events).

use std::time::Duration;

use crate::channel::{ChannelId, ChannelStateChange};
use crate::connection::ConnectionStateChange;
use crate::protocol::{ErrorInfo, Message, PresenceMessage, PublishResult};

/// Identifies one `publish` call; its outcome arrives as [`Event::Published`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublishId(pub u64);

/// Identifies one `ping` call; its outcome arrives as [`Event::Pong`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PingId(pub u64);

/// Transport work for the driver, from [`Connection::poll_transmit`](crate::Connection::poll_transmit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transmit {
    /// Open a WebSocket to `url` (`binaryType = "arraybuffer"`), replacing any previous one.
    Open {
        /// `ws(s)://host:port/?…` with auth, resume and format params.
        url: String,
    },
    /// Send the frame now in the caller's buffer: a text frame if `text`, else binary.
    Send {
        /// JSON (text frame) or msgpack (binary frame).
        text: bool,
    },
    /// Close the WebSocket and detach its listeners; do not report its close back.
    Close,
}

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

/// Work queued for `poll_transmit`, encoded lazily into the driver's buffer.
#[derive(Debug)]
pub(crate) enum Out {
    Open(String),
    Frame(Box<crate::protocol::ProtocolMessage>),
    /// A publish still held by the pending queue, by `msgSerial`.
    Publish(u64),
    Close,
}

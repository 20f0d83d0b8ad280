//! What the core hands to the driver: transport work.

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

/// Work queued for `poll_transmit`, encoded lazily into the driver's buffer.
#[derive(Debug)]
pub(crate) enum Out {
    Open(String),
    Frame(Box<crate::protocol::ProtocolMessage>),
    /// A publish still held by the pending queue, by `msgSerial`.
    Publish(u64),
    Close,
}

//! Errors by who caused them (the app, the peer, or the transport), each mapping to an Ably [`ErrorInfo`].

use crate::codec::DecodeError;
use crate::protocol::ErrorInfo;

/// An SDK error, classified by its origin.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The peer sent bytes we cannot read; the frame is dropped.
    Decode(DecodeError),
    /// The peer violated the protocol (e.g. an ACK for nothing pending).
    Protocol(&'static str),
    /// The caller broke the API's contract (e.g. a `ChannelId` from another connection).
    Misuse(&'static str),
    /// The server reported an error (ERROR, NACK, DISCONNECTED, error body).
    Server(ErrorInfo),
    /// The caller asked for something invalid now (wrong state, message too large, queue full).
    User(ErrorInfo),
}

impl Error {
    /// 40009: message too large (RSL1i, TO3l8).
    pub fn too_large(size: usize, max: usize) -> Self {
        Error::User(ErrorInfo::too_large(size, max))
    }

    /// 40003: a bounded queue is full (no unbounded queues).
    pub fn queue_full(what: &str, max: usize) -> Self {
        Error::User(ErrorInfo::queue_full(what, max))
    }

    /// The Ably error for this failure.
    pub fn to_error_info(&self) -> ErrorInfo {
        match self {
            Error::Decode(e) => e.to_error_info(),
            Error::Protocol(what) => ErrorInfo::protocol_violation(what),
            Error::Misuse(what) => ErrorInfo::misuse(what),
            Error::Server(e) | Error::User(e) => e.clone(),
        }
    }

    /// Whether retrying later may succeed (5xx, token expiry). Transport loss is not an `Error`:
    /// the connection state machine retries by itself (RTN14d, RTN15a).
    pub fn is_retriable(&self) -> bool {
        match self {
            Error::Server(e) => e.status_code >= 500 || e.is_token_error(),
            Error::Decode(_) | Error::Protocol(_) | Error::Misuse(_) | Error::User(_) => false,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Decode(e) => write!(f, "peer sent an unreadable frame: {e}"),
            Error::Protocol(what) => write!(f, "peer violated the protocol: {what}"),
            Error::Server(e) => write!(f, "server error: {e}"),
            Error::Misuse(what) => write!(f, "API misuse: {what}"),
            Error::User(e) => write!(f, "invalid request: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<Error> for ErrorInfo {
    fn from(e: Error) -> ErrorInfo {
        e.to_error_info()
    }
}

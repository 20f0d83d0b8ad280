//! ErrorInfo (TI1): the error shape on the wire and in the API.

use crate::util::decimal::decimal;

/// An Ably error (TI1): `{message, code, statusCode, href?}` on the wire.
///
/// Decoding is lenient (missing fields default, `reason` is accepted for `message`); ably-js drops
/// whole frames with malformed errors, but a client gains nothing from doing so.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorInfo {
    /// Human-readable text (`reason` in spec:protocol).
    pub message: String,
    /// Ably error code, e.g. 40140.
    pub code: u32,
    /// HTTP-like status, e.g. 401.
    pub status_code: u16,
    /// Help link.
    pub href: Option<String>,
}

impl ErrorInfo {
    /// An error with the given code, status and message.
    pub fn new(code: u32, status_code: u16, message: impl Into<String>) -> Self {
        ErrorInfo {
            message: message.into(),
            code,
            status_code,
            href: None,
        }
    }

    /// Token errors, `40140 <= code < 40150`, are renewable (RTN14b, RTN15h2; `auth.ts isTokenErr`).
    pub fn is_token_error(&self) -> bool {
        (40140..40150).contains(&self.code)
    }

    /// 80002: connection suspended (RTN7e, RTL3c).
    pub fn suspended() -> Self {
        Self::new(80002, 400, "Connection to server unavailable")
    }

    /// 80003: connection disconnected (RTN15a).
    pub fn disconnected() -> Self {
        Self::new(80003, 0, "Connection to server temporarily unavailable")
    }

    /// 80003/408: idle timeout (RTN23a).
    pub fn idle_timeout(ms: u64) -> Self {
        Self::new(
            80003,
            408,
            ["No activity seen from realtime in ", &decimal(ms), "ms"].concat(),
        )
    }

    /// 80017: connection closed (RTN12, RTL3b).
    pub fn closed() -> Self {
        Self::new(80017, 400, "Connection closed")
    }

    /// 80000: connection failed (RTN15i).
    pub fn failed() -> Self {
        Self::new(80000, 400, "Connection failed")
    }

    /// 50003: timeout waiting for the server (RTN14c).
    pub fn connect_timeout() -> Self {
        Self::new(
            50003,
            503,
            "Timeout waiting for the server to confirm the connection",
        )
    }

    /// 90007: channel operation timed out (RTL4f, RTL5f).
    pub fn channel_timeout() -> Self {
        Self::new(90007, 408, "Channel operation timed out")
    }

    /// 90001: channel in an invalid state for the operation (RTL4d, RTL6c4).
    pub fn channel_state(what: &str) -> Self {
        Self::new(
            90001,
            400,
            ["Channel operation invalid in state ", what].concat(),
        )
    }

    /// 50001: NACK without an error (RTN7a).
    pub fn nack_without_error() -> Self {
        Self::new(50001, 500, "NACK received without an error")
    }

    /// 40000: a frame or body this SDK cannot decode.
    pub fn undecodable(detail: impl Into<String>) -> Self {
        Self::new(40000, 400, detail)
    }

    /// 40000: the peer violated the protocol.
    pub fn protocol_violation(what: &str) -> Self {
        Self::new(40000, 400, ["Protocol error: ", what].concat())
    }

    /// 40000: the caller broke the API's contract.
    pub fn misuse(what: &str) -> Self {
        Self::new(40000, 400, ["Invalid use of the API: ", what].concat())
    }

    /// 40009: message too large (RSL1i, TO3l8).
    pub fn too_large(size: usize, max: usize) -> Self {
        Self::new(
            40009,
            400,
            [
                "Maximum size of messages that can be published at once exceeded (",
                &decimal(size as u64),
                " > ",
                &decimal(max as u64),
                ")",
            ]
            .concat(),
        )
    }

    /// 40003: a bounded queue is full (no unbounded queues).
    pub fn queue_full(what: &str, max: usize) -> Self {
        Self::new(
            40003,
            400,
            ["Too many ", what, " (limit ", &decimal(max as u64), ")"].concat(),
        )
    }

    /// 40003: history `limit` above 1000 (RSL2b3).
    pub fn history_limit() -> Self {
        Self::new(40003, 400, "History limit must be at most 1000")
    }

    /// 40013: a request body that cannot be encoded (e.g. unrepresentable extras).
    pub fn unencodable_body(detail: &str) -> Self {
        Self::new(40013, 400, ["Cannot encode body: ", detail].concat())
    }

    /// 40013: a payload whose `encoding` step cannot be undone (RSL6b).
    pub fn undecodable_data(step: &str) -> Self {
        Self::new(
            40013,
            400,
            [
                "Invalid message data or encoding: cannot decode `",
                step,
                "`",
            ]
            .concat(),
        )
    }

    /// 40000: `ping()` while not connected (RTN13b).
    pub fn ping_not_connected(state: &str) -> Self {
        Self::new(
            40000,
            400,
            ["Unable to ping service; not connected (state ", state, ")"].concat(),
        )
    }

    /// 50000: no HEARTBEAT echo within `realtimeRequestTimeout` (RTN13c).
    pub fn ping_timeout() -> Self {
        Self::new(50000, 500, "Timeout waiting for heartbeat response")
    }

    /// 80003: the WebSocket closed or failed without CLOSED/ERROR (RTN15a).
    pub fn unclean_disconnection() -> Self {
        Self::new(80003, 0, "Unclean disconnection of WebSocket")
    }

    /// 40000: an unreadable `recover` key, ignored (RTN16).
    pub fn invalid_recovery_key(why: &str) -> Self {
        Self::new(
            40000,
            400,
            [
                "Invalid recovery key (",
                why,
                "); connecting as a new connection instead",
            ]
            .concat(),
        )
    }

    /// 80008: the server did not keep the connection to recover (RTN16d).
    pub fn recovery_failed() -> Self {
        Self::new(
            80008,
            400,
            "Unable to recover connection: the server started a new connection",
        )
    }

    /// 90000: ERROR on a channel without an error (RTL14).
    pub fn channel_error() -> Self {
        Self::new(90000, 500, "Channel error")
    }

    /// 90000: an attach or detach superseded by the channel going `state` (RTL4, RTL5).
    pub fn channel_superseded(state: &str) -> Self {
        Self::new(
            90000,
            400,
            ["Channel operation superseded: channel is now ", state].concat(),
        )
    }

    /// 80000: the connection reached `state` (failed or closed) without a reason, so the state
    /// a caller waits for will not come by itself.
    pub fn connection_ended(state: &str) -> Self {
        Self::new(80000, 400, ["Connection ", state].concat())
    }

    /// 80017: a channel handle used after its client was freed.
    pub fn client_freed() -> Self {
        Self::new(
            80017,
            400,
            "The client was freed; this channel can no longer be used",
        )
    }

    /// 50003/408: an HTTP request timed out (TO3l4).
    pub fn http_timeout(what: &str) -> Self {
        Self::new(50003, 408, [what, ": request timed out"].concat())
    }

    /// 80000: an HTTP request failed without a response (network, CORS).
    pub fn http_failed(what: &str, detail: &str) -> Self {
        Self::new(80000, 0, [what, " failed: ", detail].concat())
    }

    /// An HTTP error response without an Ably error body: the `X-Ably-Errorcode` header's code,
    /// else `status × 100` (RSC19e).
    pub fn from_http_status(status: u16, code: Option<u32>, message: String) -> Self {
        Self::new(code.unwrap_or(u32::from(status) * 100), status, message)
    }
}

impl std::fmt::Display for ErrorInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (code {}, status {})",
            self.message, self.code, self.status_code
        )
    }
}

impl std::error::Error for ErrorInfo {}

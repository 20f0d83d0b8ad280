//! ErrorInfo (TI1): the error shape on the wire and in the API.

use serde::{Deserialize, Serialize};

/// An Ably error (TI1): `{message, code, statusCode, href?}` on the wire (§7.1).
///
/// Decoding is lenient (missing fields default, `reason` is accepted for `message`); ably-js drops
/// whole frames with malformed errors, but a client gains nothing from doing so.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorInfo {
    /// Human-readable text (`reason` in spec:protocol).
    #[serde(alias = "reason")]
    pub message: String,
    /// Ably error code, e.g. 40140.
    pub code: u32,
    /// HTTP-like status, e.g. 401.
    pub status_code: u16,
    /// Help link.
    #[serde(skip_serializing_if = "Option::is_none")]
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
            format!("No activity seen from realtime in {ms}ms"),
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
            format!("Channel operation invalid in state {what}"),
        )
    }

    /// 50001: NACK without an error (RTN7a).
    pub fn nack_without_error() -> Self {
        Self::new(50001, 500, "NACK received without an error")
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

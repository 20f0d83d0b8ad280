//! Connection states (RTN4) and the per-state rules, in one place (ably-js `states` table).

use std::time::Duration;

use crate::protocol::ErrorInfo;

/// Connection state (RTN4a).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ConnectionState {
    /// Created, `connect` not yet called.
    #[default]
    Initialized,
    /// A transport is being opened, waiting for CONNECTED.
    Connecting,
    /// CONNECTED received; frames flow.
    Connected,
    /// Transport lost; will retry, state kept for resume (RTN14d, RTN15).
    Disconnected,
    /// Disconnected longer than `connectionStateTtl` (RTN14e).
    Suspended,
    /// CLOSE sent, waiting for CLOSED (RTN12).
    Closing,
    /// Closed by the client (terminal until `connect`).
    Closed,
    /// Fatal error (terminal until `connect`).
    Failed,
}

/// What a `publish` does in a state (RTL6c).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PublishRule {
    /// Send now (RTL6c1).
    Send,
    /// Queue until connected (RTL6c2).
    Queue,
    /// Reject (RTL6c4).
    Reject,
}

impl ConnectionState {
    /// Lower-case name as in ably-js.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Initialized => "initialized",
            ConnectionState::Connecting => "connecting",
            ConnectionState::Connected => "connected",
            ConnectionState::Disconnected => "disconnected",
            ConnectionState::Suspended => "suspended",
            ConnectionState::Closing => "closing",
            ConnectionState::Closed => "closed",
            ConnectionState::Failed => "failed",
        }
    }

    /// Whether publishes are sent, queued or rejected (RTL6c).
    pub(crate) fn publish_rule(self) -> PublishRule {
        use ConnectionState::*;
        match self {
            Connected => PublishRule::Send,
            Initialized | Connecting | Disconnected => PublishRule::Queue,
            Suspended | Closing | Closed | Failed => PublishRule::Reject,
        }
    }

    /// Whether entering this state fails publishes awaiting ACK (RTN7e).
    pub(crate) fn fails_pending(self) -> bool {
        matches!(
            self,
            ConnectionState::Suspended | ConnectionState::Closed | ConnectionState::Failed
        )
    }

    /// Whether the connection id and key are discarded on entry (RTN8c, RTN9c).
    pub(crate) fn forgets_connection(self) -> bool {
        matches!(self, ConnectionState::Closed | ConnectionState::Failed)
    }

    /// Error for operations refused in this state (RTL4b, RTL6c4).
    pub(crate) fn refusal(self) -> ErrorInfo {
        match self {
            ConnectionState::Suspended => ErrorInfo::suspended(),
            ConnectionState::Closing | ConnectionState::Closed => ErrorInfo::closed(),
            _ => ErrorInfo::failed(),
        }
    }
}

impl std::fmt::Display for ConnectionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A connection state change (TA2); `previous == current` is an `update` (RTN24).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionStateChange {
    /// State before.
    pub previous: ConnectionState,
    /// State now.
    pub current: ConnectionState,
    /// Why (TA3).
    pub reason: Option<ErrorInfo>,
    /// When the next retry happens, for disconnected/suspended (TA2? `retryIn`).
    pub retry_in: Option<Duration>,
}

//! Channel states (RTL2) and their changes (TH1).

use crate::protocol::ErrorInfo;

/// Channel state (RTL2b).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ChannelState {
    /// Never attached.
    #[default]
    Initialized,
    /// ATTACH sent or queued.
    Attaching,
    /// ATTACHED received.
    Attached,
    /// DETACH sent.
    Detaching,
    /// DETACHED received (or connection closed).
    Detached,
    /// Attach timed out or the connection is suspended; retries (RTL13b, RTL3c).
    Suspended,
    /// Channel ERROR or connection failed (RTL14, RTL3a).
    Failed,
}

impl ChannelState {
    /// Lower-case name as in ably-js.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelState::Initialized => "initialized",
            ChannelState::Attaching => "attaching",
            ChannelState::Attached => "attached",
            ChannelState::Detaching => "detaching",
            ChannelState::Detached => "detached",
            ChannelState::Suspended => "suspended",
            ChannelState::Failed => "failed",
        }
    }

    /// Whether the channel serial is cleared on entry (RTL15b1).
    pub(crate) fn clears_serial(self) -> bool {
        matches!(
            self,
            ChannelState::Detached | ChannelState::Suspended | ChannelState::Failed
        )
    }
}

/// A channel state change (TH1); `previous == current` is an `update` (RTL12).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelStateChange {
    /// State before.
    pub previous: ChannelState,
    /// State now.
    pub current: ChannelState,
    /// Why (TH3).
    pub reason: Option<ErrorInfo>,
    /// ATTACHED carried RESUMED: no messages were lost (TH4, RTL4j).
    pub resumed: bool,
}

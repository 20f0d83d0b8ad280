//! Channel states (RTL2) and the small per-channel record.

use crate::protocol::{ErrorInfo, Flags};
use crate::time::Instant;

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

/// Which channel timer is armed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChannelTimer {
    /// Waiting for ATTACHED (RTL4f).
    Attach,
    /// Waiting for DETACHED (RTL5f).
    Detach,
    /// Re-attach a suspended channel (RTL13b).
    Retry,
}

/// Per-channel state: kept small (a 1000-channel client should cost a few hundred bytes each).
#[derive(Debug)]
pub(crate) struct Channel {
    pub(crate) name: Box<str>,
    pub(crate) state: ChannelState,
    /// State to return to if a DETACH times out (RTL5f).
    pub(crate) prior: ChannelState,
    /// `attach` was called while detaching: attach once DETACHED arrives (RTL4h).
    pub(crate) attach_after_detach: bool,
    /// Consecutive attach retries, for backoff (RTB1).
    pub(crate) retries: u8,
    /// Modes granted by ATTACHED (RTL4m).
    pub(crate) modes: Flags,
    /// Resume cursor (RTL15b), sent on ATTACH (RTL4c1).
    pub(crate) serial: Option<Box<str>>,
    pub(crate) timer: Option<(ChannelTimer, Instant)>,
    /// Last error (RTL4e, `errorReason`); boxed, rarely set.
    pub(crate) reason: Option<Box<ErrorInfo>>,
}

impl Channel {
    pub(crate) fn new(name: &str) -> Self {
        Channel {
            name: name.into(),
            state: ChannelState::Initialized,
            prior: ChannelState::Initialized,
            attach_after_detach: false,
            retries: 0,
            modes: Flags::default(),
            serial: None,
            timer: None,
            reason: None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn per_channel_record_is_small() {
        // Name and serial on the heap aside, the record stays under 80 bytes on 64-bit.
        assert!(
            std::mem::size_of::<super::Channel>() <= 80,
            "{}",
            std::mem::size_of::<super::Channel>()
        );
    }
}

//! The small per-channel record and its timer kinds.

use crate::protocol::{ErrorInfo, Flags};
use crate::state::ChannelState;
use crate::time::Instant;

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

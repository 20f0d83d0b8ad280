//! What a state change means for a caller waiting on it: the protocol's answer to "does my
//! `attach()` / `detach()` / `whenState()` settle now, and with which error?". Decided here, in
//! the core, so the wasm shell only applies the answer.

use super::{ChannelState, ChannelStateChange, ConnectionState, ConnectionStateChange};
use crate::protocol::ErrorInfo;

/// The outcome of a state change for one waiting caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settle {
    /// The wanted state was reached.
    Resolve,
    /// The wanted state will not come by itself: fail with this error.
    Reject(ErrorInfo),
    /// Not decided yet: keep waiting.
    Wait,
}

impl ConnectionStateChange {
    /// For a caller waiting for `want`: resolve on reaching it; reject once the connection is
    /// `failed`, or `closed` unless `failed` is wanted (terminal states are left only by a new
    /// `connect()`); otherwise wait. The error is the change's reason, else 80000.
    pub fn settles(&self, want: ConnectionState) -> Settle {
        use ConnectionState::*;
        if self.current == want {
            Settle::Resolve
        } else if self.current == Failed || (self.current == Closed && want != Failed) {
            Settle::Reject(self.reason_or(|| ErrorInfo::connection_ended(self.current.as_str())))
        } else {
            Settle::Wait
        }
    }

    fn reason_or(&self, f: impl FnOnce() -> ErrorInfo) -> ErrorInfo {
        self.reason.clone().unwrap_or_else(f)
    }
}

impl ChannelState {
    /// Right after `attach()`: whether its caller has nothing to wait for (RTL4a: the channel
    /// was already attached, so no state change will come).
    pub fn attach_settled(self) -> bool {
        self == ChannelState::Attached
    }

    /// Right after `detach()`: whether its caller has nothing to wait for (RTL5a: initialized or
    /// detached channels have nothing to detach).
    pub fn detach_settled(self) -> bool {
        matches!(self, ChannelState::Initialized | ChannelState::Detached)
    }
}

impl ChannelStateChange {
    /// For a pending `attach()` (RTL4): resolve on `attached`; reject on `detached`, `failed` or
    /// `suspended` (superseded by a detach, RTL4k; ERROR, RTL4d; timeout, RTL4f).
    pub fn settles_attach(&self) -> Settle {
        use ChannelState::*;
        match self.current {
            Attached => Settle::Resolve,
            Detached | Failed | Suspended => Settle::Reject(self.superseded()),
            Initialized | Attaching | Detaching => Settle::Wait,
        }
    }

    /// For a pending `detach()` (RTL5): resolve on `detached`; reject on `attached`, `failed` or
    /// `suspended` (superseded by an attach, RTL5i; ERROR, RTL5b; timeout, RTL5f).
    pub fn settles_detach(&self) -> Settle {
        use ChannelState::*;
        match self.current {
            Detached => Settle::Resolve,
            Attached | Failed | Suspended => Settle::Reject(self.superseded()),
            Initialized | Attaching | Detaching => Settle::Wait,
        }
    }

    /// The change's reason, else 90000 "superseded".
    fn superseded(&self) -> ErrorInfo {
        self.reason
            .clone()
            .unwrap_or_else(|| ErrorInfo::channel_superseded(self.current.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(current: ConnectionState, reason: Option<ErrorInfo>) -> ConnectionStateChange {
        ConnectionStateChange {
            previous: ConnectionState::Connecting,
            current,
            reason,
            retry_in: None,
        }
    }

    fn chan(current: ChannelState, reason: Option<ErrorInfo>) -> ChannelStateChange {
        ChannelStateChange {
            previous: ChannelState::Attaching,
            current,
            reason,
            resumed: false,
        }
    }

    #[test]
    fn when_state_resolves_on_the_state_and_rejects_on_terminal_ones() {
        use ConnectionState::*;
        assert_eq!(conn(Connected, None).settles(Connected), Settle::Resolve);
        assert_eq!(conn(Disconnected, None).settles(Connected), Settle::Wait);
        assert_eq!(conn(Suspended, None).settles(Connected), Settle::Wait);
        let denied = ErrorInfo::new(40101, 401, "denied");
        assert_eq!(
            conn(Failed, Some(denied.clone())).settles(Connected),
            Settle::Reject(denied)
        );
        match conn(Closed, None).settles(Connected) {
            Settle::Reject(e) => assert_eq!((e.code, e.status_code), (80000, 400)),
            other => panic!("{other:?}"),
        }
        assert_eq!(conn(Closed, None).settles(Failed), Settle::Wait);
        assert_eq!(conn(Closed, None).settles(Closed), Settle::Resolve);
        assert_eq!(conn(Failed, None).settles(Failed), Settle::Resolve);
    }

    #[test]
    fn rtl4a_rtl5a_nothing_to_wait_for() {
        use ChannelState::*;
        let all = [
            Initialized,
            Attaching,
            Attached,
            Detaching,
            Detached,
            Suspended,
            Failed,
        ];
        let attach: Vec<_> = all.into_iter().filter(|s| s.attach_settled()).collect();
        let detach: Vec<_> = all.into_iter().filter(|s| s.detach_settled()).collect();
        assert_eq!(attach, [Attached]);
        assert_eq!(detach, [Initialized, Detached]);
    }

    #[test]
    fn rtl4_rtl5_attach_and_detach_waiters() {
        use ChannelState::*;
        assert_eq!(chan(Attached, None).settles_attach(), Settle::Resolve);
        assert_eq!(chan(Detached, None).settles_detach(), Settle::Resolve);
        for s in [Initialized, Attaching, Detaching] {
            assert_eq!(chan(s, None).settles_attach(), Settle::Wait);
            assert_eq!(chan(s, None).settles_detach(), Settle::Wait);
        }
        let timeout = ErrorInfo::channel_timeout();
        assert_eq!(
            chan(Suspended, Some(timeout.clone())).settles_attach(),
            Settle::Reject(timeout)
        );
        match chan(Attached, None).settles_detach() {
            Settle::Reject(e) => assert_eq!(e.code, 90000),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            chan(Failed, None).settles_detach(),
            Settle::Reject(_)
        ));
        assert!(matches!(
            chan(Detached, None).settles_attach(),
            Settle::Reject(_)
        ));
    }
}

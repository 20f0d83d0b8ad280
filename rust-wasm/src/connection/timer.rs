//! Connection timers: an enum plus a table of deadlines (quinn-proto `timer.rs`).

use crate::time::Instant;

/// One connection-level timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Timer {
    /// Waiting for CONNECTED (RTN14c).
    Connect,
    /// No inbound activity for `maxIdleInterval + realtimeRequestTimeout` (RTN23a).
    Idle,
    /// Reconnect from disconnected/suspended (RTN14d, RTN14e).
    Retry,
    /// Disconnected for `connectionStateTtl` → suspended (RTN14e).
    Suspend,
    /// Waiting for CLOSED (RTN12b).
    Close,
    /// The earliest `ping()` deadline (RTN13c).
    Ping,
}

const COUNT: usize = 6;
const ALL: [Timer; COUNT] = [
    Timer::Connect,
    Timer::Idle,
    Timer::Retry,
    Timer::Suspend,
    Timer::Close,
    Timer::Ping,
];

#[derive(Clone, Debug, Default)]
pub(crate) struct TimerTable([Option<Instant>; COUNT]);

impl TimerTable {
    pub(crate) fn set(&mut self, t: Timer, at: Instant) {
        self.0[t as usize] = Some(at);
    }

    pub(crate) fn stop(&mut self, t: Timer) {
        self.0[t as usize] = None;
    }

    pub(crate) fn stop_all(&mut self) {
        self.0 = [None; COUNT];
    }

    /// The earliest deadline.
    pub(crate) fn next(&self) -> Option<Instant> {
        self.0.iter().flatten().min().copied()
    }

    /// Removes and returns one timer due at `now`, earliest first.
    pub(crate) fn pop_expired(&mut self, now: Instant) -> Option<Timer> {
        let t = ALL
            .into_iter()
            .filter(|t| self.0[*t as usize].is_some_and(|at| at <= now))
            .min_by_key(|t| self.0[*t as usize])?;
        self.0[t as usize] = None;
        Some(t)
    }
}

//! `connection.ping()` (RTN13): HEARTBEAT with a random `id`, answered by a HEARTBEAT with the
//! same `id`; the round trip is measured on the driver's clock.

use super::{Connection, Timer};
use crate::error::Error;
use crate::io::{Event, Out, PingId};
use crate::protocol::{Action, ErrorInfo, ProtocolMessage};
use crate::state::ConnectionState;
use crate::time::Instant;

/// At most this many pings wait at once (no unbounded queues).
const MAX_PINGS: usize = 100;

#[derive(Debug)]
pub(super) struct PendingPing {
    id: PingId,
    /// The HEARTBEAT's `id` on the wire.
    wire_id: String,
    sent_at: Instant,
    deadline: Instant,
}

impl Connection {
    /// `connection.ping()` (RTN13): sends HEARTBEAT with a random `id` (RTN13a). The outcome
    /// arrives as [`Event::Pong`]: the round trip once the server echoes that `id`, else an
    /// error after `realtimeRequestTimeout` (50000, RTN13c) or when the connection leaves
    /// `connected` first. Refused unless `connected` (40000, RTN13b).
    pub fn ping(&mut self, now: Instant) -> Result<PingId, Error> {
        if self.state != ConnectionState::Connected {
            return Err(Error::User(ErrorInfo::ping_not_connected(
                self.state.as_str(),
            )));
        }
        if self.pings.len() >= MAX_PINGS {
            return Err(Error::queue_full("pings awaiting a reply", MAX_PINGS));
        }
        let id = PingId(self.next_ping);
        self.next_ping += 1;
        let wire_id = hex16(self.rng.next_u64());
        self.out.push_back(Out::Frame(Box::new(ProtocolMessage {
            action: Action::Heartbeat,
            id: Some(wire_id.clone()),
            ..Default::default()
        })));
        let deadline = now + self.options.timeouts.realtime_request;
        self.pings.push(PendingPing {
            id,
            wire_id,
            sent_at: now,
            deadline,
        });
        self.arm_ping_timer();
        Ok(id)
    }

    /// A HEARTBEAT from the server: completes the ping with its `id`, if any.
    pub(super) fn on_heartbeat(&mut self, now: Instant, id: Option<&str>) {
        let Some(id) = id else { return };
        if let Some(i) = self.pings.iter().position(|p| p.wire_id == id) {
            let p = self.pings.remove(i);
            self.events.push_back(Event::Pong {
                id: p.id,
                result: Ok(now - p.sent_at),
            });
            self.arm_ping_timer();
        }
    }

    /// The ping timer fired: pings past their deadline fail (RTN13c).
    pub(super) fn expire_pings(&mut self, now: Instant) {
        let events = &mut self.events;
        self.pings.retain(|p| {
            if p.deadline > now {
                return true;
            }
            events.push_back(Event::Pong {
                id: p.id,
                result: Err(ErrorInfo::ping_timeout()),
            });
            false
        });
        self.arm_ping_timer();
    }

    /// The connection left `connected`: no echo can come on a new transport.
    pub(super) fn fail_pings(&mut self, reason: &ErrorInfo) {
        for p in self.pings.drain(..) {
            self.events.push_back(Event::Pong {
                id: p.id,
                result: Err(reason.clone()),
            });
        }
        self.timers.stop(Timer::Ping);
    }

    fn arm_ping_timer(&mut self) {
        match self.pings.iter().map(|p| p.deadline).min() {
            Some(at) => self.timers.set(Timer::Ping, at),
            None => self.timers.stop(Timer::Ping),
        }
    }
}

/// `n` as 16 lower-case hex digits.
fn hex16(n: u64) -> String {
    (0..16)
        .rev()
        .map(|i| char::from(b"0123456789abcdef"[((n >> (i * 4)) & 15) as usize]))
        .collect()
}

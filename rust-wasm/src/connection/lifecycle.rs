//! Connection transitions: connect, CONNECTED/resume, loss and retry, close, failure
//! (RTN11–RTN15, RTN23, RTN24). Per-state rules live in `state.rs`.

use std::time::Duration;

use super::{Connection, Timer};
use crate::error::Error;
use crate::io::{Event, Out};
use crate::protocol::{Action, ErrorInfo, ProtocolMessage};
use crate::state::{ConnectionState, ConnectionStateChange};
use crate::time::Instant;

impl Connection {
    /// Enters `to`, emits the change and applies the state's rules (RTN4, RTN7e, RTL3).
    pub(super) fn set_state(
        &mut self,
        now: Instant,
        to: ConnectionState,
        reason: Option<ErrorInfo>,
        retry_in: Option<Duration>,
    ) {
        let previous = self.state;
        self.state = to;
        if reason.is_some() || to == ConnectionState::Connected {
            self.reason.clone_from(&reason); // RTN25
        }
        if previous == ConnectionState::Connected && to != ConnectionState::Connected {
            let err = reason.clone().unwrap_or_else(|| to.refusal());
            self.fail_pings(&err); // RTN13: the echo would come on the old transport.
        }
        if to.fails_pending() {
            let err = reason.clone().unwrap_or_else(|| to.refusal());
            self.pending.fail_all(&err, &mut self.events); // RTN7e
        }
        if to.forgets_connection() {
            self.id = None; // RTN8c
            self.key = None; // RTN9c
            self.pending.reset();
            self.timers.stop_all();
            self.lost_at = None;
        }
        let change = ConnectionStateChange {
            previous,
            current: to,
            reason: reason.clone(),
            retry_in,
        };
        self.events.push_back(Event::ConnectionState(change));
        let (mut io, channels) = self.io(now);
        channels.on_connection_state(to, reason.as_ref(), &mut io); // RTL3
    }

    /// Opens a transport, resuming if we have a key (RTN15b, RTN14h), else recovering if the
    /// `recover` option is still unused (RTN16k).
    pub(super) fn start_connecting(&mut self, now: Instant) {
        self.drop_transport();
        let recover = self.recover.as_ref().map(|r| r.connection_key.as_str());
        let url = self.options.connect_url(self.key.as_deref(), recover);
        self.out.push_back(Out::Open(url));
        self.transport = true;
        self.timers.stop(Timer::Retry);
        // RTN14e: connectionStateTtl runs from the first failed moment, across attempts; once
        // past it (already suspended) attempts fall back to suspended via `retry_later`.
        let ttl_end = *self.lost_at.get_or_insert(now) + self.state_ttl;
        if now < ttl_end {
            self.timers.set(Timer::Suspend, ttl_end);
        }
        let t = &self.options.timeouts;
        self.timers.set(
            Timer::Connect,
            now + t.web_socket_connect + t.realtime_request,
        ); // RTN14c
        if self.state != ConnectionState::Connecting {
            self.set_state(now, ConnectionState::Connecting, None, None);
        }
    }

    /// Closes the transport; its unsent frames go with it (publishes stay pending).
    pub(super) fn drop_transport(&mut self) {
        if self.transport {
            self.transport = false;
            self.out.retain(|o| matches!(o, Out::Open(_) | Out::Close));
            self.out.push_back(Out::Close);
        }
        self.timers.stop(Timer::Idle);
        self.timers.stop(Timer::Connect);
    }

    /// The transport is gone or abandoned (RTN14d, RTN15a, RTN23a). `send_disconnect` sends
    /// DISCONNECT first (idle timeout, RTN23a).
    pub(super) fn lose_transport(
        &mut self,
        now: Instant,
        reason: ErrorInfo,
        send_disconnect: bool,
    ) {
        if send_disconnect && self.transport {
            self.out.retain(|o| matches!(o, Out::Open(_) | Out::Close));
            self.out.push_back(Out::Frame(Box::new(ProtocolMessage::new(
                Action::Disconnect,
            ))));
            self.transport = false;
            self.out.push_back(Out::Close);
        }
        self.drop_transport();
        match self.state {
            ConnectionState::Connected => {
                // RTN15a: after being connected, retry at once (resume).
                self.lost_at = Some(now);
                self.set_state(
                    now,
                    ConnectionState::Disconnected,
                    Some(reason),
                    Some(Duration::ZERO),
                );
                self.start_connecting(now);
            }
            ConnectionState::Connecting => self.retry_later(now, reason),
            ConnectionState::Closing => self.set_state(now, ConnectionState::Closed, None, None),
            _ => {}
        }
    }

    /// Disconnected with backoff (RTN14d, RTB1), or suspended after `connectionStateTtl` (RTN14e).
    fn retry_later(&mut self, now: Instant, reason: ErrorInfo) {
        let lost_at = *self.lost_at.get_or_insert(now);
        let t = self.options.timeouts;
        if now >= lost_at + self.state_ttl {
            self.set_state(
                now,
                ConnectionState::Suspended,
                Some(ErrorInfo::suspended()),
                Some(t.suspended_retry),
            );
            self.timers.set(Timer::Retry, now + t.suspended_retry);
            return;
        }
        self.retries += 1;
        let delay = self.rng.retry_delay(t.disconnected_retry, self.retries);
        self.set_state(
            now,
            ConnectionState::Disconnected,
            Some(reason),
            Some(delay),
        );
        self.timers.set(Timer::Retry, now + delay);
    }

    /// Fails the connection (RTN14g, RTN15i).
    fn fail(&mut self, now: Instant, reason: ErrorInfo) {
        self.drop_transport();
        self.set_state(now, ConnectionState::Failed, Some(reason), None);
    }

    /// Inbound activity resets the idle timer (RTN23a).
    pub(super) fn touch(&mut self, now: Instant) {
        if let (Some(idle), ConnectionState::Connected) = (self.max_idle, self.state) {
            self.timers.set(
                Timer::Idle,
                now + idle + self.options.timeouts.realtime_request,
            );
        }
    }

    pub(super) fn on_timer(&mut self, now: Instant, timer: Timer) {
        let t = self.options.timeouts;
        match (timer, self.state) {
            (Timer::Connect, ConnectionState::Connecting) => {
                self.lose_transport(now, ErrorInfo::connect_timeout(), false); // RTN14c
            }
            (Timer::Idle, ConnectionState::Connected) => {
                let ms = self.max_idle.unwrap_or_default() + t.realtime_request;
                let ms = u64::try_from(ms.as_millis()).unwrap_or(u64::MAX);
                self.lose_transport(now, ErrorInfo::idle_timeout(ms), true); // RTN23a
            }
            (Timer::Retry, ConnectionState::Disconnected | ConnectionState::Suspended) => {
                self.start_connecting(now); // RTN14d, RTN14e
            }
            (Timer::Suspend, ConnectionState::Disconnected | ConnectionState::Connecting) => {
                self.drop_transport(); // RTN14e
                self.timers.stop(Timer::Retry);
                self.set_state(
                    now,
                    ConnectionState::Suspended,
                    Some(ErrorInfo::suspended()),
                    Some(t.suspended_retry),
                );
                self.timers.set(Timer::Retry, now + t.suspended_retry);
            }
            (Timer::Ping, _) => self.expire_pings(now), // RTN13c
            (Timer::Close, ConnectionState::Closing) => {
                self.drop_transport(); // RTN12b
                self.set_state(now, ConnectionState::Closed, None, None);
            }
            _ => {}
        }
    }

    /// One decoded frame.
    pub(super) fn handle_message(
        &mut self,
        now: Instant,
        pm: ProtocolMessage,
    ) -> Result<(), Error> {
        match pm.action {
            Action::Heartbeat => self.on_heartbeat(now, pm.id.as_deref()), // RTN13; activity noted.
            Action::Ack | Action::Nack => {
                let (serial, count) = (pm.msg_serial.unwrap_or(0), pm.count.unwrap_or(1));
                let outcome = if pm.action == Action::Ack {
                    Ok(pm.res)
                } else {
                    Err(pm.error.unwrap_or_else(ErrorInfo::nack_without_error))
                };
                if self
                    .pending
                    .complete(serial, count, outcome, &mut self.events)
                    == 0
                {
                    return Err(Error::Protocol("ACK/NACK for no pending publish"));
                }
            }
            Action::Connected => return self.on_connected(now, pm),
            Action::Disconnected => {
                // RTN15h: token errors need renewal we cannot do (key/static token): fail.
                let err = pm.error.unwrap_or_else(ErrorInfo::disconnected);
                if err.is_token_error()
                    && matches!(self.options.auth, crate::options::Auth::Token(_))
                {
                    self.fail(now, err); // RTN15h1
                } else {
                    self.lose_transport(now, err, false); // RTN15h2
                }
            }
            Action::Closed => {
                self.drop_transport();
                self.set_state(now, ConnectionState::Closed, None, None); // RTN12b
            }
            Action::Error if pm.channel.is_none() => {
                let err = pm.error.unwrap_or_else(ErrorInfo::failed);
                self.fail(now, err); // RTN14g, RTN15i
            }
            _ => {
                let (mut io, channels) = self.io(now);
                channels.handle_message(pm, &mut io);
            }
        }
        Ok(())
    }

    /// CONNECTED (RTN4b, RTN15c6, RTN15c7, RTN24).
    fn on_connected(&mut self, now: Instant, pm: ProtocolMessage) -> Result<(), Error> {
        // ably-js drops a CONNECTED without connectionDetails (RTN21).
        let details = pm
            .connection_details
            .ok_or(Error::Protocol("CONNECTED without connectionDetails"))?;
        let t = self.options.timeouts;
        self.max_idle = details
            .max_idle_interval
            .filter(|&ms| ms > 0)
            .map(Duration::from_millis);
        self.state_ttl = details
            .connection_state_ttl
            .map_or(t.connection_state_ttl, Duration::from_millis);
        self.max_message_size = details
            .max_message_size
            .map_or(super::DEFAULT_MAX_MESSAGE_SIZE, |n| n as usize);
        if let Some(c) = details.client_id {
            self.client_id = Some(c);
        }
        if let Some(k) = details.connection_key {
            self.key = Some(k); // RTN15e
        }
        match self.state {
            ConnectionState::Connecting => {
                let resumed = self.id.is_some() && self.id == pm.connection_id; // RTN15c6
                let mut reason = pm.error;
                // RTN16: the first CONNECTED settles a recovery, either way; `recover` is never
                // sent again. Judged as a resume: success keeps the connection id (the key names
                // it) and continues msgSerial from the key (RTN16f); failure is a new connection.
                let mut first_serial = 0;
                if let Some(r) = self.recover.take() {
                    if r.recovered_by(pm.connection_id.as_deref()) {
                        first_serial = r.msg_serial;
                    } else if reason.is_none() {
                        reason = Some(ErrorInfo::recovery_failed());
                    }
                }
                if let Some(e) = self.recover_error.take() {
                    reason.get_or_insert(e); // The ignored `recover` option, said once more.
                }
                self.id = pm.connection_id;
                self.timers.stop(Timer::Connect);
                self.timers.stop(Timer::Suspend);
                self.timers.stop(Timer::Retry);
                self.lost_at = None;
                self.retries = 0;
                self.set_state(now, ConnectionState::Connected, reason, None);
                self.touch(now);
                // RTN19a: re-send what awaits an ACK; keep serials only if the resume worked
                // (RTN15c6), else renumber from 0 (RTN15c7, RTN19a2) or, after a recovery, from
                // the key's msgSerial (RTN16f).
                let out = &mut self.out;
                let mut send = |s| out.push_back(super::Out::Publish(s));
                if resumed {
                    self.pending.resend_all(&mut send);
                } else {
                    self.pending.renumber_all(first_serial, &mut send);
                }
            }
            ConnectionState::Connected => {
                // RTN24: an update, not a state change.
                let change = ConnectionStateChange {
                    previous: self.state,
                    current: self.state,
                    reason: pm.error,
                    retry_in: None,
                };
                self.events.push_back(Event::ConnectionState(change));
            }
            _ => {}
        }
        Ok(())
    }
}

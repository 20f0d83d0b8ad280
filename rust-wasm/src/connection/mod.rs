//! The realtime connection: a sans-I/O state machine (RTN*), owning its channels (RTL*).
//!
//! # Driving it
//!
//! Like quinn-proto's `Connection`, this type never performs I/O. A driver loop:
//!
//! 1. feeds inputs: [`handle_frame`](Connection::handle_frame) for each WebSocket message,
//!    [`handle_transport_closed`](Connection::handle_transport_closed) when the socket closes or
//!    fails, [`handle_timeout`](Connection::handle_timeout) when the timer fires, and app
//!    commands ([`connect`](Connection::connect), [`attach`](Connection::attach),
//!    [`publish`](Connection::publish), [`close`](Connection::close), …);
//! 2. after every input, drains [`poll_transmit`](Connection::poll_transmit) (open/send/close
//!    the socket) until `None`;
//! 3. re-arms its single timer to [`poll_timeout`](Connection::poll_timeout) if it changed;
//! 4. drains [`poll_event`](Connection::poll_event) and dispatches to the app.
//!
//! Every input takes `now`, a monotonic [`Instant`]; nothing reads a clock.

mod lifecycle;
mod pending;
mod ping;
mod recovery;
mod timer;

use std::collections::VecDeque;
use std::time::Duration;

use crate::channel::Channels;
use crate::codec::{decode_with, encode_into};
use crate::error::Error;
use crate::io::{ChannelId, Event, Io, Out, PublishId, Transmit};
use crate::options::ClientOptions;
use crate::protocol::{Action, ErrorInfo, Flags, Message, ProtocolMessage};
use crate::state::{ChannelState, ConnectionState, PublishRule};
use crate::time::Instant;
use crate::util::rng::Rng;
use pending::PendingQueue;
use ping::PendingPing;
use recovery::{Recover, RecoveryKey};
use timer::{Timer, TimerTable};

/// Default `maxMessageSize` (TO3l8), until CONNECTED says otherwise.
const DEFAULT_MAX_MESSAGE_SIZE: usize = 65_536;

/// A realtime connection and its channels. See the module docs for the driver loop.
#[derive(Debug)]
pub struct Connection {
    options: ClientOptions,
    state: ConnectionState,
    reason: Option<ErrorInfo>,
    /// `connection.id` (RTN8).
    id: Option<String>,
    /// `connection.key` (RTN9), used to resume (RTN15b).
    key: Option<String>,
    client_id: Option<String>,
    /// From `connectionDetails` (RTN23a, RTN14e, TO3l8).
    max_idle: Option<Duration>,
    state_ttl: Duration,
    max_message_size: usize,
    /// Whether a transport is open (or opening) as far as the core knows.
    transport: bool,
    /// When the connection was last lost, for `connectionStateTtl` (RTN14e).
    lost_at: Option<Instant>,
    /// Consecutive failed connection attempts, for backoff (RTB1).
    retries: u32,
    next_publish: u64,
    pending: PendingQueue,
    out: VecDeque<Out>,
    events: VecDeque<Event>,
    timers: TimerTable,
    channels: Channels,
    rng: Rng,
    /// The `recover` option, decoded, until the first CONNECTED (RTN16).
    recover: Option<Recover>,
    /// Why the `recover` option was ignored, reported with the first CONNECTED.
    recover_error: Option<ErrorInfo>,
    /// `ping()`s awaiting their HEARTBEAT (RTN13).
    pings: Vec<PendingPing>,
    next_ping: u64,
}

impl Connection {
    /// A connection in `initialized`; call [`connect`](Connection::connect) to start.
    ///
    /// With `options.recover` set, the first connection recovers that connection (RTN16): the
    /// channels named in the key exist at once with their serials (attach them as usual) and the
    /// first connect sends `recover=`. An unreadable key is ignored: [`error_reason`] says why at
    /// once, and the CONNECTED state change carries it as its reason.
    ///
    /// [`error_reason`]: Connection::error_reason
    pub fn new(options: ClientOptions) -> Self {
        let mut conn = Connection {
            state: ConnectionState::Initialized,
            reason: None,
            id: None,
            key: None,
            client_id: options.client_id.clone(),
            max_idle: None,
            state_ttl: options.timeouts.connection_state_ttl,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            transport: false,
            lost_at: None,
            retries: 0,
            next_publish: 0,
            pending: PendingQueue::new(options.max_pending),
            out: VecDeque::new(),
            events: VecDeque::new(),
            timers: TimerTable::default(),
            channels: Channels::default(),
            rng: Rng::new(options.rng_seed),
            recover: None,
            recover_error: None,
            pings: Vec::new(),
            next_ping: 0,
            options,
        };
        if let Some(text) = conn.options.recover.take() {
            match RecoveryKey::decode(&text) {
                Ok(key) => {
                    for (name, serial) in &key.channel_serials {
                        let id = conn.channels.get_or_insert(name);
                        conn.channels.preset_serial(id, serial); // RTN16j
                    }
                    conn.recover = Some(Recover {
                        connection_key: key.connection_key,
                        msg_serial: key.msg_serial,
                    });
                }
                Err(e) => {
                    conn.reason = Some(e.clone());
                    conn.recover_error = Some(e);
                }
            }
            conn.options.recover = Some(text);
        }
        conn
    }

    // ---- getters ----

    /// Current state (RTN4).
    pub fn state(&self) -> ConnectionState {
        self.state
    }

    /// `connection.errorReason` (RTN25).
    pub fn error_reason(&self) -> Option<&ErrorInfo> {
        self.reason.as_ref()
    }

    /// `connection.id` (RTN8).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// `connection.key` (RTN9).
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The client id, as confirmed by CONNECTED (RSA7).
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// The options in use.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Publishes queued or awaiting ACK/NACK.
    pub fn publishes_pending(&self) -> usize {
        self.pending.len()
    }

    /// The handle of a channel, if it was ever requested.
    pub fn find_channel(&self, name: &str) -> Option<ChannelId> {
        self.channels.get(name)
    }

    /// A channel's name.
    pub fn channel_name(&self, id: ChannelId) -> Option<&str> {
        self.channels.name(id)
    }

    /// A channel's state (RTL2).
    pub fn channel_state(&self, id: ChannelId) -> Option<ChannelState> {
        self.channels.state(id)
    }

    /// A channel's `errorReason` (RTL4e).
    pub fn channel_error(&self, id: ChannelId) -> Option<&ErrorInfo> {
        self.channels.error_reason(id)
    }

    /// Modes granted by the last ATTACHED (RTL4m).
    pub fn channel_modes(&self, id: ChannelId) -> Option<Flags> {
        self.channels.modes(id)
    }

    /// A channel's resume cursor (RTL15b).
    pub fn channel_serial(&self, id: ChannelId) -> Option<&str> {
        self.channels.serial(id)
    }

    /// How many channels exist.
    pub fn channel_count(&self) -> usize {
        self.channels.len()
    }

    /// `connection.createRecoveryKey()` (RTN16g): the JSON text
    /// `{"connectionKey":…,"msgSerial":n,"channelSerials":{…}}` to pass as the `recover` option
    /// of a later client (typically after a page reload). `None` without a connection key, or in
    /// `closing`, `closed`, `failed` and `suspended` (RTN16g2), where there is nothing to
    /// recover. Publishes not yet ACKed are not part of it.
    pub fn create_recovery_key(&self) -> Option<String> {
        use ConnectionState::*;
        if matches!(self.state, Closing | Closed | Failed | Suspended) {
            return None;
        }
        let key = self.key.as_deref()?;
        let serials: Vec<(&str, &str)> = self.channels.serials().collect();
        Some(recovery::encode_key(
            key,
            self.pending.next_serial(),
            &serials,
        ))
    }

    // ---- app commands: they only queue work ----

    /// `channels.get(name)` (RTS3a): the channel's handle, created on first use.
    pub fn channel(&mut self, name: &str) -> ChannelId {
        self.channels.get_or_insert(name)
    }

    /// `connection.connect()` (RTN11).
    pub fn connect(&mut self, now: Instant) {
        use ConnectionState::*;
        match self.state {
            Initialized | Disconnected | Suspended | Closed | Failed => {
                if self.state.forgets_connection() {
                    self.reason = None; // RTN11c/RTN11d: a fresh start.
                }
                self.start_connecting(now);
            }
            Connecting | Connected | Closing => {}
        }
    }

    /// `connection.close()` (RTN12).
    pub fn close(&mut self, now: Instant) {
        use ConnectionState::*;
        match self.state {
            Connected => {
                // RTN12a: send CLOSE, wait for CLOSED (RTN12b: at most realtimeRequestTimeout).
                self.out
                    .push_back(Out::Frame(Box::new(ProtocolMessage::new(Action::Close))));
                self.timers.stop(Timer::Idle);
                self.set_state(now, Closing, None, None);
                self.timers
                    .set(Timer::Close, now + self.options.timeouts.realtime_request);
            }
            // RTN12f: abandon the connection attempt; RTN12d: nothing to close.
            Connecting | Initialized | Disconnected | Suspended => {
                self.drop_transport();
                self.set_state(now, Closed, Some(ErrorInfo::closed()), None);
            }
            Closing | Closed | Failed => {}
        }
    }

    /// `channel.attach()` (RTL4): queues ATTACH; `Event::ChannelState` reports the outcome.
    pub fn attach(&mut self, now: Instant, channel: ChannelId) -> Result<(), Error> {
        let state = self.state;
        let (mut io, channels) = self.io(now);
        channels.attach(channel, state, &mut io)
    }

    /// `channel.detach()` (RTL5).
    pub fn detach(&mut self, now: Instant, channel: ChannelId) -> Result<(), Error> {
        let state = self.state;
        let (mut io, channels) = self.io(now);
        channels.detach(channel, state, &mut io)
    }

    /// `channel.publish(messages)` (RTL6): one MESSAGE frame for all `messages` (RTL6i).
    /// Sent now if connected, queued while connecting/disconnected (RTL6c2), refused otherwise.
    /// The outcome arrives as [`Event::Published`] with the returned id.
    pub fn publish(
        &mut self,
        now: Instant,
        channel: ChannelId,
        messages: Vec<Message>,
    ) -> Result<PublishId, Error> {
        let _ = now;
        let rule = self.state.publish_rule();
        if rule == PublishRule::Reject {
            return Err(Error::User(self.state.refusal())); // RTL6c4
        }
        let name = self.channels.check_publish(channel)?;
        let size: usize = messages.iter().map(Message::size).sum();
        if size > self.max_message_size {
            return Err(Error::too_large(size, self.max_message_size)); // RSL1i
        }
        let pm = ProtocolMessage {
            action: Action::Message,
            channel: Some(name.to_owned()),
            messages,
            ..Default::default()
        };
        let id = PublishId(self.next_publish);
        self.pending.push(id, pm)?;
        self.next_publish += 1;
        if rule == PublishRule::Send {
            let out = &mut self.out;
            self.pending
                .assign_serials(&mut |s| out.push_back(Out::Publish(s)));
        }
        Ok(id)
    }

    // ---- outputs ----

    /// The next piece of transport work. For [`Transmit::Send`] the frame has been written to
    /// `buf` (cleared first), so one buffer serves every frame.
    #[must_use]
    pub fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        while let Some(out) = self.out.pop_front() {
            buf.clear();
            let format = self.options.format;
            match out {
                Out::Open(url) => return Some(Transmit::Open { url }),
                Out::Close => return Some(Transmit::Close),
                Out::Frame(pm) => encode_into(&*pm, format, buf),
                Out::Publish(serial) => match self.pending.get(serial) {
                    Some(pm) => encode_into(pm, format, buf),
                    None => continue, // Completed meanwhile.
                },
            }
            return Some(Transmit::Send {
                text: format.is_text(),
            });
        }
        None
    }

    /// When [`handle_timeout`](Connection::handle_timeout) must next be called.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        match (self.timers.next(), self.channels.poll_timeout()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The next event for the app.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    // ---- inputs ----

    /// One WebSocket message. A frame that cannot be decoded is dropped and reported as
    /// `Err(Error::Decode)`; the connection carries on (ably-js drops such frames too).
    pub fn handle_frame(&mut self, now: Instant, bytes: &[u8]) -> Result<(), Error> {
        if !self.transport {
            return Ok(()); // A late frame from a transport we already closed.
        }
        self.touch(now); // RTN23a: any inbound activity counts.
        let pm: ProtocolMessage = decode_with(bytes, self.options.format, &self.options.limits)?;
        self.handle_message(now, pm)
    }

    /// A MESSAGE frame whose messages the driver decodes itself (in a browser, JSON frames are
    /// parsed by the engine's `JSON.parse` rather than copied into wasm). The core applies what
    /// the frame means for the connection and the channel: inbound activity (RTN23a), the
    /// channel serial (RTL15b), delivery only to an attached channel (RTL17). Returns the
    /// channel to deliver the frame's messages to, with `id`, `connectionId` and `timestamp`
    /// filled from the frame as [`Event::Messages`] has them (TM2a, TM2c, TM2f); `None`: drop them.
    pub fn handle_message_frame_header(
        &mut self,
        now: Instant,
        channel: &str,
        channel_serial: Option<String>,
    ) -> Option<ChannelId> {
        if !self.transport {
            return None; // A late frame from a transport we already closed.
        }
        self.touch(now);
        self.channels.accept_message_frame(channel, channel_serial)
    }

    /// The WebSocket closed or failed without CLOSED/ERROR (RTN14d, RTN15a).
    pub fn handle_transport_closed(&mut self, now: Instant) {
        if self.transport {
            // The driver already knows: drop unsent frames without asking it to close.
            self.transport = false;
            self.out.retain(|o| matches!(o, Out::Open(_) | Out::Close));
            self.lose_transport(now, ErrorInfo::unclean_disconnection(), false);
        }
    }

    /// Fires every timer due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(t) = self.timers.pop_expired(now) {
            self.on_timer(now, t);
        }
        let (mut io, channels) = self.io(now);
        channels.handle_timeout(&mut io);
    }

    // ---- internals shared with lifecycle.rs ----

    fn io(&mut self, now: Instant) -> (Io<'_>, &mut Channels) {
        let io = Io {
            now,
            connected: self.state == ConnectionState::Connected,
            out: &mut self.out,
            events: &mut self.events,
            timeouts: &self.options.timeouts,
            rng: &mut self.rng,
        };
        (io, &mut self.channels)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_stay_small() {
        assert!(std::mem::size_of::<super::Event>() <= 128);
    }
}

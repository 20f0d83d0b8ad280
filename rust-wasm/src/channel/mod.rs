//! Realtime channels: the channel state machine (RTL2–RTL17), one small record per channel.

mod state;

use std::collections::{HashMap, VecDeque};

use state::{Channel, ChannelTimer};
pub use state::{ChannelState, ChannelStateChange};

use crate::connection::{ConnectionState, Event, Out};
use crate::error::Error;
use crate::options::Timeouts;
use crate::protocol::{Action, ErrorInfo, Flags, ProtocolMessage};
use crate::time::Instant;

/// A channel handle: cheap to copy and to pass to JS; see [`Connection::channel`](crate::Connection::channel).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(pub u32);

/// Everything a channel transition may touch besides the channel itself.
pub(crate) struct Io<'a> {
    pub(crate) now: Instant,
    /// Whether frames can be sent now (connection `connected`).
    pub(crate) connected: bool,
    pub(crate) out: &'a mut VecDeque<Out>,
    pub(crate) events: &'a mut VecDeque<Event>,
    pub(crate) timeouts: &'a Timeouts,
}

/// All channels of one connection.
#[derive(Debug, Default)]
pub(crate) struct Channels {
    list: Vec<Channel>,
    by_name: HashMap<Box<str>, ChannelId>,
    /// How many channels have a timer armed, so `poll_timeout` can skip the scan.
    armed: usize,
}

impl Channels {
    pub(crate) fn get(&self, name: &str) -> Option<ChannelId> {
        self.by_name.get(name).copied()
    }

    pub(crate) fn get_or_insert(&mut self, name: &str) -> ChannelId {
        if let Some(id) = self.get(name) {
            return id;
        }
        let id = ChannelId(self.list.len() as u32);
        self.list.push(Channel::new(name));
        self.by_name.insert(name.into(), id);
        id
    }

    fn ch(&self, id: ChannelId) -> Option<&Channel> {
        self.list.get(id.0 as usize)
    }

    pub(crate) fn name(&self, id: ChannelId) -> Option<&str> {
        self.ch(id).map(|c| &*c.name)
    }

    pub(crate) fn state(&self, id: ChannelId) -> Option<ChannelState> {
        self.ch(id).map(|c| c.state)
    }

    pub(crate) fn error_reason(&self, id: ChannelId) -> Option<&ErrorInfo> {
        self.ch(id).and_then(|c| c.reason.as_deref())
    }

    pub(crate) fn modes(&self, id: ChannelId) -> Option<Flags> {
        self.ch(id).map(|c| c.modes)
    }

    pub(crate) fn serial(&self, id: ChannelId) -> Option<&str> {
        self.ch(id).and_then(|c| c.serial.as_deref())
    }

    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    fn set_state(
        &mut self,
        i: usize,
        to: ChannelState,
        reason: Option<ErrorInfo>,
        resumed: bool,
        io: &mut Io<'_>,
    ) {
        self.disarm(i);
        let c = &mut self.list[i];
        let previous = c.state;
        c.state = to;
        if to.clears_serial() {
            c.serial = None; // RTL15b1
        }
        if reason.is_some() || to == ChannelState::Attached {
            c.reason = reason.clone().map(Box::new); // RTL4e
        }
        if to == ChannelState::Attached {
            c.retries = 0;
        }
        let change = ChannelStateChange {
            previous,
            current: to,
            reason,
            resumed,
        };
        io.events.push_back(Event::ChannelState {
            channel: ChannelId(i as u32),
            change,
        });
    }

    fn arm(&mut self, i: usize, timer: ChannelTimer, at: Instant) {
        let c = &mut self.list[i];
        if c.timer.is_none() {
            self.armed += 1;
        }
        c.timer = Some((timer, at));
    }

    fn disarm(&mut self, i: usize) {
        if self.list[i].timer.take().is_some() {
            self.armed -= 1;
        }
    }

    /// Sends ATTACH with the resume cursor (RTL4c, RTL4c1) and arms the timeout (RTL4f).
    fn send_attach(&mut self, i: usize, io: &mut Io<'_>) {
        let c = &self.list[i];
        let pm = ProtocolMessage {
            action: Action::Attach,
            channel: Some(c.name.to_string()),
            channel_serial: c.serial.as_deref().map(str::to_owned),
            ..Default::default()
        };
        io.out.push_back(Out::Frame(Box::new(pm)));
        self.arm(
            i,
            ChannelTimer::Attach,
            io.now + io.timeouts.realtime_request,
        );
    }

    /// Sends DETACH (RTL5d) and arms the timeout (RTL5f).
    fn send_detach(&mut self, i: usize, io: &mut Io<'_>) {
        let pm = ProtocolMessage {
            action: Action::Detach,
            channel: Some(self.list[i].name.to_string()),
            ..Default::default()
        };
        io.out.push_back(Out::Frame(Box::new(pm)));
        self.arm(
            i,
            ChannelTimer::Detach,
            io.now + io.timeouts.realtime_request,
        );
    }

    /// Moves to attaching and sends ATTACH if connected; otherwise ATTACH goes out on CONNECTED
    /// (RTL4i).
    fn start_attach(&mut self, i: usize, reason: Option<ErrorInfo>, io: &mut Io<'_>) {
        if self.list[i].state != ChannelState::Attaching {
            self.set_state(i, ChannelState::Attaching, reason, false, io);
        }
        if io.connected {
            self.send_attach(i, io);
        }
    }

    /// `attach()` (RTL4).
    pub(crate) fn attach(
        &mut self,
        id: ChannelId,
        conn: ConnectionState,
        io: &mut Io<'_>,
    ) -> Result<(), Error> {
        let i = id.0 as usize;
        let Some(c) = self.list.get_mut(i) else {
            return Err(Error::Protocol("no such channel"));
        };
        if conn.publish_rule() == crate::connection::PublishRule::Reject {
            return Err(Error::User(conn.refusal())); // RTL4b
        }
        match c.state {
            ChannelState::Attached | ChannelState::Attaching => Ok(()), // RTL4a
            ChannelState::Detaching => {
                c.attach_after_detach = true; // RTL4h
                Ok(())
            }
            _ => {
                self.start_attach(i, None, io);
                Ok(())
            }
        }
    }

    /// `detach()` (RTL5).
    pub(crate) fn detach(
        &mut self,
        id: ChannelId,
        conn: ConnectionState,
        io: &mut Io<'_>,
    ) -> Result<(), Error> {
        let i = id.0 as usize;
        let Some(c) = self.list.get_mut(i) else {
            return Err(Error::Protocol("no such channel"));
        };
        c.attach_after_detach = false;
        match c.state {
            ChannelState::Initialized | ChannelState::Detached | ChannelState::Detaching => Ok(()), // RTL5a
            ChannelState::Failed => Err(Error::User(ErrorInfo::channel_state("failed"))), // RTL5b
            ChannelState::Suspended => {
                self.set_state(i, ChannelState::Detached, None, false, io); // RTL5j
                Ok(())
            }
            ChannelState::Attaching | ChannelState::Attached => {
                if conn.publish_rule() == crate::connection::PublishRule::Reject {
                    return Err(Error::User(conn.refusal())); // RTL5g
                }
                if !io.connected {
                    // Nothing was agreed with the server yet; detach locally (RTL5h).
                    self.set_state(i, ChannelState::Detached, None, false, io);
                    return Ok(());
                }
                self.list[i].prior = self.list[i].state;
                self.set_state(i, ChannelState::Detaching, None, false, io);
                self.send_detach(i, io);
                Ok(())
            }
        }
    }

    /// Whether a publish may go out on this channel (RTL6c4).
    pub(crate) fn check_publish(&self, id: ChannelId) -> Result<&str, Error> {
        let c = self.ch(id).ok_or(Error::Protocol("no such channel"))?;
        match c.state {
            ChannelState::Failed | ChannelState::Suspended => {
                Err(Error::User(ErrorInfo::channel_state(c.state.as_str())))
            }
            _ => Ok(&c.name),
        }
    }

    /// A channel-scoped frame from the server.
    pub(crate) fn handle_message(&mut self, mut pm: ProtocolMessage, io: &mut Io<'_>) {
        let Some(id) = pm.channel.as_deref().and_then(|n| self.get(n)) else {
            return; // Not a channel we know: ignore.
        };
        let i = id.0 as usize;
        let state = self.list[i].state;
        match pm.action {
            Action::Attached => match state {
                ChannelState::Attaching => {
                    let c = &mut self.list[i];
                    c.serial = pm.channel_serial.take().map(Into::into);
                    c.modes = pm.flags.unwrap_or_default().modes();
                    let resumed = pm.has_flag(Flags::RESUMED);
                    self.set_state(i, ChannelState::Attached, pm.error, resumed, io);
                    // RTL4c
                }
                ChannelState::Attached => {
                    // RTL12: an unsolicited ATTACHED is an update unless it is a quiet resume.
                    let c = &mut self.list[i];
                    if let Some(s) = pm.channel_serial.take() {
                        c.serial = Some(s.into());
                    }
                    let resumed = pm.has_flag(Flags::RESUMED);
                    if pm.error.is_some() || !resumed {
                        self.set_state(i, ChannelState::Attached, pm.error, resumed, io);
                    }
                }
                ChannelState::Detaching => self.send_detach(i, io), // RTL5k
                _ => {}
            },
            Action::Detached => match state {
                ChannelState::Detaching => {
                    self.set_state(i, ChannelState::Detached, pm.error, false, io); // RTL5
                    if std::mem::take(&mut self.list[i].attach_after_detach) {
                        self.start_attach(i, None, io); // RTL4h
                    }
                }
                ChannelState::Attached | ChannelState::Suspended => {
                    // RTL13a: server-initiated detach: re-attach at once.
                    self.set_state(i, ChannelState::Attaching, pm.error, false, io);
                    if io.connected {
                        self.send_attach(i, io);
                    }
                }
                ChannelState::Attaching => self.suspend_and_retry(i, pm.error, io), // RTL13b
                _ => {}
            },
            Action::Error => {
                let err = pm
                    .error
                    .unwrap_or_else(|| ErrorInfo::new(90000, 500, "Channel error"));
                self.set_state(i, ChannelState::Failed, Some(err), false, io); // RTL14
            }
            Action::Message if state == ChannelState::Attached => {
                if let Some(s) = pm.channel_serial.take() {
                    self.list[i].serial = Some(s.into()); // RTL15b
                }
                populate_from_parent(&mut pm);
                let messages = std::mem::take(&mut pm.messages);
                io.events.push_back(Event::Messages {
                    channel: id,
                    messages,
                });
            }
            Action::Presence | Action::Sync if state == ChannelState::Attached => {
                if pm.action == Action::Presence {
                    if let Some(s) = pm.channel_serial.take() {
                        self.list[i].serial = Some(s.into()); // RTL15b
                    }
                }
                for (n, p) in pm.presence.iter_mut().enumerate() {
                    if p.id.is_none() {
                        p.id = pm.id.as_ref().map(|id| format!("{id}:{n}"));
                    }
                    if p.connection_id.is_none() {
                        p.connection_id.clone_from(&pm.connection_id);
                    }
                    p.timestamp = p.timestamp.or(pm.timestamp);
                }
                let presence = std::mem::take(&mut pm.presence);
                io.events.push_back(Event::Presence {
                    channel: id,
                    presence,
                });
            }
            // RTL17: messages on a channel that is not attached are dropped; unknown actions
            // are ignored (RSF1).
            _ => {}
        }
    }

    fn suspend_and_retry(&mut self, i: usize, reason: Option<ErrorInfo>, io: &mut Io<'_>) {
        self.set_state(i, ChannelState::Suspended, reason, false, io);
        let c = &mut self.list[i];
        c.retries = c.retries.saturating_add(1);
        self.arm(i, ChannelTimer::Retry, io.now + io.timeouts.channel_retry);
    }

    /// Connection state changes (RTL3).
    pub(crate) fn on_connection_state(
        &mut self,
        conn: ConnectionState,
        reason: Option<&ErrorInfo>,
        io: &mut Io<'_>,
    ) {
        use ChannelState::*;
        for i in 0..self.list.len() {
            let state = self.list[i].state;
            match (conn, state) {
                // RTL3a: failed connection fails live channels.
                (ConnectionState::Failed, Attaching | Attached | Detaching) => {
                    let err = reason.cloned().unwrap_or_else(ErrorInfo::failed);
                    self.set_state(i, Failed, Some(err), false, io);
                }
                // RTL3b: closed connection detaches them, without sending DETACH (§5.2).
                (ConnectionState::Closed, Attaching | Attached | Detaching) => {
                    self.set_state(i, Detached, Some(ErrorInfo::closed()), false, io);
                }
                // RTL3c: suspended connection suspends them (no retry timer: RTL3d re-attaches).
                (ConnectionState::Suspended, Attaching | Attached) => {
                    self.set_state(i, Suspended, Some(ErrorInfo::suspended()), false, io);
                }
                (ConnectionState::Suspended, Detaching) => {
                    self.set_state(i, Detached, None, false, io);
                }
                // RTL3d, RTN15c6/c7: on (re)connect, re-attach with the channel serial.
                (ConnectionState::Connected, Attaching | Attached | Suspended) => {
                    self.list[i].retries = 0;
                    self.start_attach(i, None, io);
                }
                (ConnectionState::Connected, Detaching) => self.send_detach(i, io),
                // Frames in flight are lost with the transport; timers restart on reconnect.
                (ConnectionState::Disconnected | ConnectionState::Connecting, _) => self.disarm(i),
                _ => {}
            }
        }
    }

    /// Earliest channel deadline.
    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        if self.armed == 0 {
            return None;
        }
        self.list
            .iter()
            .filter_map(|c| c.timer.map(|(_, at)| at))
            .min()
    }

    /// Fires due channel timers (RTL4f, RTL5f, RTL13b).
    pub(crate) fn handle_timeout(&mut self, io: &mut Io<'_>) {
        if self.armed == 0 {
            return;
        }
        for i in 0..self.list.len() {
            let Some((timer, at)) = self.list[i].timer else {
                continue;
            };
            if at > io.now {
                continue;
            }
            self.disarm(i);
            let state = self.list[i].state;
            match (timer, state) {
                (ChannelTimer::Attach, ChannelState::Attaching) => {
                    self.suspend_and_retry(i, Some(ErrorInfo::channel_timeout()), io);
                    // RTL4f
                }
                (ChannelTimer::Detach, ChannelState::Detaching) => {
                    let prior = self.list[i].prior; // RTL5f
                    self.set_state(i, prior, Some(ErrorInfo::channel_timeout()), false, io);
                }
                (ChannelTimer::Retry, ChannelState::Suspended) if io.connected => {
                    self.start_attach(i, None, io); // RTL13b
                }
                _ => {}
            }
        }
    }
}

/// TM2a/TM2c/TM2f: fill `id`, `connectionId` and `timestamp` from the frame.
fn populate_from_parent(pm: &mut ProtocolMessage) {
    for (n, m) in pm.messages.iter_mut().enumerate() {
        if m.id.is_none() {
            m.id = pm.id.as_ref().map(|id| format!("{id}:{n}"));
        }
        if m.connection_id.is_none() {
            m.connection_id.clone_from(&pm.connection_id);
        }
        m.timestamp = m.timestamp.or(pm.timestamp);
    }
}

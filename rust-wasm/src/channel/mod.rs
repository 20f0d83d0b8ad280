//! Realtime channels: the channel state machine (RTL2–RTL17), one small record per channel.

mod inbound;
mod record;

use std::collections::HashMap;

use record::{Channel, ChannelTimer};

use crate::error::Error;
use crate::io::{ChannelId, Event, Io, Out};
use crate::protocol::{Action, ErrorInfo, Flags, ProtocolMessage};
use crate::state::{ChannelState, ChannelStateChange, ConnectionState};
use crate::time::Instant;

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

    /// Every channel's resume cursor, for the recovery key (RTN16g1).
    pub(crate) fn serials(&self) -> impl Iterator<Item = (&str, &str)> {
        self.list
            .iter()
            .filter_map(|c| Some((&*c.name, c.serial.as_deref()?)))
    }

    /// Pre-sets a channel's resume cursor from a recovery key (RTN16j): its next ATTACH carries
    /// it (RTL4c1).
    pub(crate) fn preset_serial(&mut self, id: ChannelId, serial: &str) {
        if let Some(c) = self.list.get_mut(id.0 as usize) {
            c.serial = Some(serial.into());
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    pub(super) fn set_state(
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
    pub(super) fn send_attach(&mut self, i: usize, io: &mut Io<'_>) {
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
    pub(super) fn send_detach(&mut self, i: usize, io: &mut Io<'_>) {
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
    pub(super) fn start_attach(&mut self, i: usize, reason: Option<ErrorInfo>, io: &mut Io<'_>) {
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
            return Err(Error::Misuse("no channel with this id on this connection"));
        };
        if conn.publish_rule() == crate::state::PublishRule::Reject {
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
            return Err(Error::Misuse("no channel with this id on this connection"));
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
                if conn.publish_rule() == crate::state::PublishRule::Reject {
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
        let c = self
            .ch(id)
            .ok_or(Error::Misuse("no channel with this id on this connection"))?;
        match c.state {
            ChannelState::Failed | ChannelState::Suspended => {
                Err(Error::User(ErrorInfo::channel_state(c.state.as_str())))
            }
            _ => Ok(&c.name),
        }
    }

    pub(super) fn suspend_and_retry(
        &mut self,
        i: usize,
        reason: Option<ErrorInfo>,
        io: &mut Io<'_>,
    ) {
        self.set_state(i, ChannelState::Suspended, reason, false, io);
        let c = &mut self.list[i];
        c.retries = c.retries.saturating_add(1);
        // RTL13b: retried after channelRetryTimeout with RTB1's backoff and jitter.
        let delay = io
            .rng
            .retry_delay(io.timeouts.channel_retry, u32::from(c.retries));
        self.arm(i, ChannelTimer::Retry, io.now + delay);
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

//! Channel inputs: frames from the server (RTL4, RTL5, RTL12–RTL17) and connection state
//! changes (RTL3).

use super::Channels;
use crate::io::{ChannelId, Event, Io};
use crate::protocol::{Action, ErrorInfo, Flags, ProtocolMessage};
use crate::state::{ChannelState, ConnectionState};
use crate::util::decimal::child_id;

impl Channels {
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
                let err = pm.error.unwrap_or_else(ErrorInfo::channel_error);
                self.set_state(i, ChannelState::Failed, Some(err), false, io); // RTL14
            }
            Action::Message if state == ChannelState::Attached => {
                self.accept_messages(id, pm.channel_serial.take());
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
                        p.id = pm.id.as_deref().map(|id| child_id(id, n));
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

    /// A MESSAGE frame for the channel `name`: whether its messages are delivered, and to which
    /// channel. Only an attached channel delivers (RTL17); it takes the frame's channel serial
    /// as its resume cursor (RTL15b).
    pub(crate) fn accept_message_frame(
        &mut self,
        name: &str,
        channel_serial: Option<String>,
    ) -> Option<ChannelId> {
        let id = self.get(name)?;
        if self.list[id.0 as usize].state != ChannelState::Attached {
            return None;
        }
        self.accept_messages(id, channel_serial);
        Some(id)
    }

    fn accept_messages(&mut self, id: ChannelId, channel_serial: Option<String>) {
        if let Some(s) = channel_serial {
            self.list[id.0 as usize].serial = Some(s.into()); // RTL15b
        }
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
                // RTL3b: closed connection detaches them, without sending DETACH.
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
}

/// TM2a/TM2c/TM2f: fill `id`, `connectionId` and `timestamp` from the frame.
fn populate_from_parent(pm: &mut ProtocolMessage) {
    for (n, m) in pm.messages.iter_mut().enumerate() {
        if m.id.is_none() {
            m.id = pm.id.as_deref().map(|id| child_id(id, n));
        }
        if m.connection_id.is_none() {
            m.connection_id.clone_from(&pm.connection_id);
        }
        m.timestamp = m.timestamp.or(pm.timestamp);
    }
}

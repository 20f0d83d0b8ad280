//! A client on a virtual clock plus a scripted fake server (quinn-proto `tests/util.rs` style).

use std::time::Duration;

use crate::codec::{decode, encode, Format};
use crate::protocol::*;
use crate::{ClientOptions, Connection, Error, Event, Instant, Transmit};

pub(super) struct Harness {
    pub(super) conn: Connection,
    pub(super) now: Instant,
    /// Frames the client sent, decoded, since the last `take_sent`.
    pub(super) sent: Vec<ProtocolMessage>,
    /// URLs the client opened.
    pub(super) opens: Vec<String>,
    pub(super) closes: usize,
    pub(super) events: Vec<Event>,
    /// Whether the fake socket is open.
    pub(super) open: bool,
    format: Format,
    buf: Vec<u8>,
}

pub(super) fn options(format: Format) -> ClientOptions {
    let mut o = ClientOptions::new("app.key:secret");
    o.endpoint = "127.0.0.1".into();
    o.port = Some(9999);
    o.tls = false;
    o.format = format;
    o.rng_seed = 42;
    o
}

impl Harness {
    pub(super) fn new(format: Format) -> Self {
        Self::with_options(options(format))
    }

    pub(super) fn with_options(o: ClientOptions) -> Self {
        let format = o.format;
        Harness {
            conn: Connection::new(o),
            now: Instant::from_millis(1_000),
            sent: vec![],
            opens: vec![],
            closes: 0,
            events: vec![],
            open: false,
            format,
            buf: Vec::new(),
        }
    }

    /// Drains transmits and events until idle; bounded to catch livelock.
    pub(super) fn drive(&mut self) {
        for _ in 0..10_000 {
            match self.conn.poll_transmit(&mut self.buf) {
                Some(Transmit::Open { url }) => {
                    self.opens.push(url);
                    self.open = true;
                }
                Some(Transmit::Close) => {
                    self.closes += 1;
                    self.open = false;
                }
                Some(Transmit::Send { text }) => {
                    assert!(self.open, "sent a frame with no transport open");
                    assert_eq!(text, self.format == Format::Json);
                    let pm = decode(&self.buf, self.format).expect("client frames decode");
                    self.sent.push(pm);
                }
                None => {
                    while let Some(e) = self.conn.poll_event() {
                        self.events.push(e);
                    }
                    return;
                }
            }
        }
        panic!("livelock: transmit queue never drained");
    }

    /// Server → client frame.
    pub(super) fn recv(&mut self, pm: ProtocolMessage) -> Result<(), Error> {
        let bytes = encode(&pm, self.format);
        self.recv_bytes(&bytes)
    }

    pub(super) fn recv_bytes(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let r = self.conn.handle_frame(self.now, bytes);
        self.drive();
        r
    }

    /// Jumps the clock forward by `d`, firing every timer on the way in order.
    pub(super) fn advance(&mut self, d: Duration) {
        let target = self.now + d;
        while let Some(at) = self.conn.poll_timeout().filter(|&at| at <= target) {
            self.now = self.now.max(at);
            self.conn.handle_timeout(self.now);
            self.drive();
        }
        self.now = target;
    }

    /// The socket drops under us.
    pub(super) fn lose_transport(&mut self) {
        self.open = false;
        self.conn.handle_transport_closed(self.now);
        self.drive();
    }

    pub(super) fn connect(&mut self) {
        self.conn.connect(self.now);
        self.drive();
    }

    /// connect + CONNECTED, events and frames cleared.
    pub(super) fn connected(format: Format) -> Self {
        let mut h = Harness::new(format);
        h.connect();
        h.recv(frames::connected("conn1", "conn1!1")).unwrap();
        h.take_sent();
        h.events.clear();
        h
    }

    pub(super) fn take_sent(&mut self) -> Vec<ProtocolMessage> {
        std::mem::take(&mut self.sent)
    }

    pub(super) fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// `(id, result)` of every Published event so far, consumed.
    pub(super) fn take_published(&mut self) -> Vec<(u64, Result<PublishResult, ErrorInfo>)> {
        let mut out = vec![];
        self.events.retain(|e| match e {
            Event::Published { id, result } => {
                out.push((id.0, result.clone()));
                false
            }
            _ => true,
        });
        out
    }

    pub(super) fn conn_states(&self) -> Vec<crate::ConnectionState> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::ConnectionState(c) if c.previous != c.current => Some(c.current),
                _ => None,
            })
            .collect()
    }

    pub(super) fn chan_states(&self) -> Vec<crate::ChannelState> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::ChannelState { change, .. } => Some(change.current),
                _ => None,
            })
            .collect()
    }
}

/// Server frame builders, so tests read as conversations (h2 `frames.rs`).
pub(super) mod frames {
    use super::*;

    pub(in crate::tests) fn connected(id: &str, key: &str) -> ProtocolMessage {
        ProtocolMessage {
            action: Action::Connected,
            connection_id: Some(id.into()),
            connection_details: Some(ConnectionDetails {
                connection_key: Some(key.into()),
                max_idle_interval: Some(15_000),
                connection_state_ttl: Some(120_000),
                max_message_size: Some(65_536),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    pub(in crate::tests) fn attached(
        channel: &str,
        serial: &str,
        resumed: bool,
    ) -> ProtocolMessage {
        let mut flags = Flags::DEFAULT_MODES;
        if resumed {
            flags = flags | Flags::RESUMED;
        }
        ProtocolMessage {
            action: Action::Attached,
            channel: Some(channel.into()),
            channel_serial: Some(serial.into()),
            flags: Some(flags),
            ..Default::default()
        }
    }

    pub(in crate::tests) fn detached(channel: &str, error: Option<ErrorInfo>) -> ProtocolMessage {
        ProtocolMessage {
            action: Action::Detached,
            channel: Some(channel.into()),
            error,
            ..Default::default()
        }
    }

    pub(in crate::tests) fn ack(serial: u64, count: u32) -> ProtocolMessage {
        let res = (0..count).map(|i| PublishResult {
            serials: vec![Some(format!("s{}", serial + u64::from(i)))],
        });
        ProtocolMessage {
            action: Action::Ack,
            msg_serial: Some(serial),
            count: Some(count),
            res: Some(res.collect()),
            ..Default::default()
        }
    }

    pub(in crate::tests) fn nack(serial: u64, count: u32, err: ErrorInfo) -> ProtocolMessage {
        ProtocolMessage {
            action: Action::Nack,
            msg_serial: Some(serial),
            count: Some(count),
            error: Some(err),
            ..Default::default()
        }
    }

    pub(in crate::tests) fn message(
        channel: &str,
        serial: &str,
        msgs: Vec<Message>,
    ) -> ProtocolMessage {
        ProtocolMessage {
            action: Action::Message,
            channel: Some(channel.into()),
            channel_serial: Some(serial.into()),
            id: Some("pub1:3".into()),
            connection_id: Some("pub1".into()),
            timestamp: Some(1_700_000_000_000),
            messages: msgs,
            ..Default::default()
        }
    }

    pub(in crate::tests) fn error(channel: Option<&str>, err: ErrorInfo) -> ProtocolMessage {
        ProtocolMessage {
            action: Action::Error,
            channel: channel.map(Into::into),
            error: Some(err),
            ..Default::default()
        }
    }

    pub(in crate::tests) fn action(action: Action) -> ProtocolMessage {
        ProtocolMessage::new(action)
    }
}

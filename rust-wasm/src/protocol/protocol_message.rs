//! ProtocolMessage (TR4): one realtime frame.

use std::collections::BTreeMap;

use crate::protocol::{Action, ConnectionDetails, ErrorInfo, Flags, Message, PresenceMessage};

/// One realtime frame (TR4). Wire names are camelCase in JSON and msgpack alike; absent fields
/// are omitted (ably-js encodes sparse maps), unknown fields are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtocolMessage {
    /// TR4a.
    pub action: Action,
    /// TR4i.
    pub flags: Option<Flags>,
    /// TR4j: number of publishes an ACK/NACK covers (RTN7a).
    pub count: Option<u32>,
    /// TR4h.
    pub error: Option<ErrorInfo>,
    /// TR4b; on delivered MESSAGEs `<connectionId>:<msgSerial>` (TR4n).
    pub id: Option<String>,
    /// TR4c.
    pub channel: Option<String>,
    /// TR4c1: channel resume cursor (RTL15b).
    pub channel_serial: Option<String>,
    /// TR4d.
    pub connection_id: Option<String>,
    /// Deprecated top-level key; ably-js 2.x ignores it (use `connectionDetails`).
    pub connection_key: Option<String>,
    /// TR4f: publish serial (RTN7b).
    pub msg_serial: Option<u64>,
    /// TR4k: ms since the epoch.
    pub timestamp: Option<i64>,
    /// TR4l.
    pub messages: Vec<Message>,
    /// TR4m.
    pub presence: Vec<PresenceMessage>,
    /// TR4o: on CONNECTED.
    pub connection_details: Option<ConnectionDetails>,
    /// TR4q: channel params on ATTACH/ATTACHED; publish params on MESSAGE.
    pub params: Option<BTreeMap<String, String>>,
    /// Publish results on ACK, one per acknowledged ProtocolMessage (TR4s).
    pub res: Option<Vec<PublishResult>>,
    /// AUTH details (TR4p).
    pub auth: Option<AuthDetails>,
}

impl ProtocolMessage {
    /// A message with just an action.
    pub fn new(action: Action) -> Self {
        ProtocolMessage {
            action,
            ..Default::default()
        }
    }

    /// Whether a flag is set.
    pub fn has_flag(&self, flag: Flags) -> bool {
        self.flags.is_some_and(|f| f.contains(flag))
    }
}

/// Result of one acknowledged publish (`res[i]` on ACK; REST publish body): one serial per
/// message, `null` when a message was discarded (e.g. conflation).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishResult {
    /// Serials of the published messages, in order.
    pub serials: Vec<Option<String>>,
}

/// AUTH details (AD1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthDetails {
    /// The new token.
    pub access_token: String,
}

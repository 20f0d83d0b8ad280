//! ProtocolMessage (TR4): one realtime frame.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::protocol::{Action, ConnectionDetails, ErrorInfo, Flags, Message, PresenceMessage};

/// One realtime frame (TR4). Wire names are camelCase in JSON and msgpack alike; absent fields
/// are omitted (ably-js encodes sparse maps), unknown fields are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolMessage {
    /// TR4a.
    pub action: Action,
    /// TR4i.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<Flags>,
    /// TR4j: number of publishes an ACK/NACK covers (RTN7a).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// TR4h.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
    /// TR4b; on delivered MESSAGEs `<connectionId>:<msgSerial>` (TR4n).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// TR4c.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// TR4c1: channel resume cursor (RTL15b).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_serial: Option<String>,
    /// TR4d.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// Deprecated top-level key; ably-js 2.x ignores it (use `connectionDetails`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_key: Option<String>,
    /// TR4f: publish serial (RTN7b).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg_serial: Option<u64>,
    /// TR4k: ms since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// TR4l.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
    /// TR4m.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub presence: Vec<PresenceMessage>,
    /// TR4o: on CONNECTED.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_details: Option<ConnectionDetails>,
    /// TR4q: channel params on ATTACH/ATTACHED; publish params on MESSAGE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<BTreeMap<String, String>>,
    /// Publish results on ACK, one per acknowledged ProtocolMessage (TR4s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub res: Option<Vec<PublishResult>>,
    /// AUTH details (TR4p).
    #[serde(skip_serializing_if = "Option::is_none")]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishResult {
    /// Serials of the published messages, in order.
    #[serde(default)]
    pub serials: Vec<Option<String>>,
}

/// AUTH details (AD1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthDetails {
    /// The new token.
    pub access_token: String,
}

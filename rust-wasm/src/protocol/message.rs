//! Message (TM2): a published or delivered message, payload decoded.

use std::borrow::Cow;

use serde::{Deserialize, Serialize, Serializer};

use crate::protocol::payload::{from_wire, to_wire, WireData};
use crate::protocol::Data;

/// A message (TM2). `data` is decoded; `encoding` only holds steps this SDK could not undo
/// (e.g. `cipher+…`), normally `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "WireMessage")]
pub struct Message {
    /// Unique id (TM2a); `<base>:<index>` for idempotent REST publishes (RSL1k1).
    pub id: Option<String>,
    /// Event name (TM2g).
    pub name: Option<String>,
    /// Payload (TM2d).
    pub data: Data,
    /// Encoding steps still applied to `data` (TM2e).
    pub encoding: Option<String>,
    /// Publisher's client id (TM2b).
    pub client_id: Option<String>,
    /// Publisher's connection id (TM2c).
    pub connection_id: Option<String>,
    /// Publish on behalf of another connection (TM2h).
    pub connection_key: Option<String>,
    /// Server timestamp, ms since the epoch (TM2f).
    pub timestamp: Option<i64>,
    /// Extras, a JSON object (TM2i).
    pub extras: Option<serde_json::Value>,
    /// Message action (TM2j): 0 create, 1 update, 2 delete, 3 meta, 4 summary, 5 append.
    pub action: Option<u8>,
    /// Server-assigned serial (TM2r).
    pub serial: Option<String>,
    /// Version metadata (TM2s), passed through.
    pub version: Option<serde_json::Value>,
}

impl Message {
    /// A message with a name and a payload.
    pub fn new(name: impl Into<String>, data: impl Into<Data>) -> Self {
        Message {
            name: Some(name.into()),
            data: data.into(),
            ..Default::default()
        }
    }

    /// Size counted against `maxMessageSize` (RSL1i, TO3l8): name + clientId + extras JSON + data.
    pub fn size(&self) -> usize {
        let extras = self.extras.as_ref().map_or(0, |e| e.to_string().len());
        self.name.as_ref().map_or(0, String::len)
            + self.client_id.as_ref().map_or(0, String::len)
            + extras
            + self.data.size()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireMessage {
    id: Option<String>,
    name: Option<String>,
    #[serde(default)]
    data: Data,
    encoding: Option<String>,
    client_id: Option<String>,
    connection_id: Option<String>,
    connection_key: Option<String>,
    timestamp: Option<i64>,
    extras: Option<serde_json::Value>,
    action: Option<u8>,
    serial: Option<String>,
    version: Option<serde_json::Value>,
}

impl From<WireMessage> for Message {
    // RSL6: decode on receipt; a malformed payload keeps its encoding for the app to see.
    fn from(w: WireMessage) -> Message {
        let (data, encoding, _err) = from_wire(w.data, w.encoding);
        Message {
            id: w.id,
            name: w.name,
            data,
            encoding,
            client_id: w.client_id,
            connection_id: w.connection_id,
            connection_key: w.connection_key,
            timestamp: w.timestamp,
            extras: w.extras,
            action: w.action,
            serial: w.serial,
            version: w.version,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireMessageRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "WireData::is_none")]
    data: WireData<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extras: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a serde_json::Value>,
}

impl Serialize for Message {
    // RSL4: the wire form depends on the transport; serde_json is human-readable, rmp-serde not.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (data, encoding) = to_wire(&self.data, self.encoding.as_deref(), s.is_human_readable());
        WireMessageRef {
            id: self.id.as_deref(),
            name: self.name.as_deref(),
            data,
            encoding,
            client_id: self.client_id.as_deref(),
            connection_id: self.connection_id.as_deref(),
            connection_key: self.connection_key.as_deref(),
            timestamp: self.timestamp,
            extras: self.extras.as_ref(),
            action: self.action,
            serial: self.serial.as_deref(),
            version: self.version.as_ref(),
        }
        .serialize(s)
    }
}

/// Presence action (TP2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "u8", into = "u8")]
#[allow(missing_docs)]
pub enum PresenceAction {
    #[default]
    Absent,
    Present,
    Enter,
    Leave,
    Update,
    /// Any other number.
    Unknown(u8),
}

impl From<u8> for PresenceAction {
    fn from(n: u8) -> Self {
        use PresenceAction::*;
        [Absent, Present, Enter, Leave, Update]
            .get(usize::from(n))
            .copied()
            .unwrap_or(Unknown(n))
    }
}

impl From<PresenceAction> for u8 {
    fn from(a: PresenceAction) -> u8 {
        match a {
            PresenceAction::Absent => 0,
            PresenceAction::Present => 1,
            PresenceAction::Enter => 2,
            PresenceAction::Leave => 3,
            PresenceAction::Update => 4,
            PresenceAction::Unknown(n) => n,
        }
    }
}

/// A presence message (TP3), decoded like [`Message`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "WirePresence")]
pub struct PresenceMessage {
    /// TP3b.
    pub action: PresenceAction,
    /// TP3a.
    pub id: Option<String>,
    /// TP3c.
    pub client_id: Option<String>,
    /// TP3d.
    pub connection_id: Option<String>,
    /// TP3e.
    pub data: Data,
    /// TP3f: steps not undone.
    pub encoding: Option<String>,
    /// TP3g.
    pub timestamp: Option<i64>,
    /// TP3i.
    pub extras: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WirePresence {
    #[serde(default)]
    action: PresenceAction,
    id: Option<String>,
    client_id: Option<String>,
    connection_id: Option<String>,
    #[serde(default)]
    data: Data,
    encoding: Option<String>,
    timestamp: Option<i64>,
    extras: Option<serde_json::Value>,
}

impl From<WirePresence> for PresenceMessage {
    fn from(w: WirePresence) -> Self {
        let (data, encoding, _err) = from_wire(w.data, w.encoding);
        PresenceMessage {
            action: w.action,
            id: w.id,
            client_id: w.client_id,
            connection_id: w.connection_id,
            data,
            encoding,
            timestamp: w.timestamp,
            extras: w.extras,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WirePresenceRef<'a> {
    action: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_id: Option<&'a str>,
    #[serde(skip_serializing_if = "WireData::is_none")]
    data: WireData<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extras: Option<&'a serde_json::Value>,
}

impl Serialize for PresenceMessage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (data, encoding) = to_wire(&self.data, self.encoding.as_deref(), s.is_human_readable());
        WirePresenceRef {
            action: self.action.into(),
            id: self.id.as_deref(),
            client_id: self.client_id.as_deref(),
            connection_id: self.connection_id.as_deref(),
            data,
            encoding,
            timestamp: self.timestamp,
            extras: self.extras.as_ref(),
        }
        .serialize(s)
    }
}

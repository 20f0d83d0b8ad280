//! Message (TM2): a published or delivered message, payload decoded.

use crate::codec::Value;
use crate::protocol::Data;

/// A message (TM2). `data` is decoded; `encoding` only holds steps this SDK could not undo
/// (e.g. `cipher+…`), normally `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    pub extras: Option<Value>,
    /// Message action (TM2j): 0 create, 1 update, 2 delete, 3 meta, 4 summary, 5 append.
    pub action: Option<u8>,
    /// Server-assigned serial (TM2r).
    pub serial: Option<String>,
    /// Version metadata (TM2s), passed through.
    pub version: Option<Value>,
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
        let extras = self.extras.as_ref().map_or(0, |e| e.to_json().len());
        self.name.as_ref().map_or(0, String::len)
            + self.client_id.as_ref().map_or(0, String::len)
            + extras
            + self.data.size()
    }
}

/// Presence action (TP2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    pub extras: Option<Value>,
}

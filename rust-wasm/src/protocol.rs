//! Wire types of the Ably realtime protocol (version 6).

use serde::{Deserialize, Serialize};

/// Protocol message actions (spec TR2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Action {
    Heartbeat = 0,
    Ack = 1,
    Nack = 2,
    Connect = 3,
    Connected = 4,
    Disconnect = 5,
    Disconnected = 6,
    Close = 7,
    Closed = 8,
    Error = 9,
    Attach = 10,
    Attached = 11,
    Detach = 12,
    Detached = 13,
    Presence = 14,
    Message = 15,
    Sync = 16,
    Auth = 17,
}

impl Action {
    /// The action for its wire number, if known.
    pub fn from_u8(n: u8) -> Option<Action> {
        use Action::*;
        const ALL: [Action; 18] = [
            Heartbeat, Ack, Nack, Connect, Connected, Disconnect, Disconnected, Close, Closed,
            Error, Attach, Attached, Detach, Detached, Presence, Message, Sync, Auth,
        ];
        ALL.get(n as usize).copied()
    }
}

impl Serialize for Action {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(*self as u8)
    }
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(d)?;
        Action::from_u8(n).ok_or_else(|| serde::de::Error::custom(format!("unknown action {n}")))
    }
}

/// A protocol message (spec TR4): the unit of every realtime frame.
/// Only the fields the foundation needs; absent fields are omitted on the wire.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolMessage {
    /// What this frame means.
    pub action: Option<Action>,
    /// Channel name, for channel-scoped actions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Serial of the first message in a publish (ACK/NACK refer to it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msg_serial: Option<i64>,
    /// Number of messages acknowledged by an ACK/NACK.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Protocol message id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Flags bit field (spec TR3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<u64>,
    /// Server timestamp, ms since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}

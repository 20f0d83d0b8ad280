//! ConnectionDetails (CD2), carried by CONNECTED.

use serde::{Deserialize, Serialize};

/// Connection parameters from the server (CD2); all optional on the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionDetails {
    /// CD2a: the client id the server assigned or confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// CD2b: key used to resume (RTN15e).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_key: Option<String>,
    /// CD2c: max message size in bytes (TO3l8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_message_size: Option<u64>,
    /// CD2d: max frame size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_frame_size: Option<u64>,
    /// CD2e: advisory inbound rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_inbound_rate: Option<u64>,
    /// CD2f: ms the server keeps connection state for a resume (RTN14e).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_state_ttl: Option<u64>,
    /// CD2h: max ms between server transmissions; idle limit adds `realtimeRequestTimeout` (RTN23a).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_idle_interval: Option<u64>,
    /// CD2g: server identity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_id: Option<String>,
    /// Site code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_code: Option<String>,
}

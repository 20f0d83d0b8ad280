//! ConnectionDetails (CD2), carried by CONNECTED.

/// Connection parameters from the server (CD2); all optional on the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionDetails {
    /// CD2a: the client id the server assigned or confirmed.
    pub client_id: Option<String>,
    /// CD2b: key used to resume (RTN15e).
    pub connection_key: Option<String>,
    /// CD2c: max message size in bytes (TO3l8).
    pub max_message_size: Option<u64>,
    /// CD2d: max frame size.
    pub max_frame_size: Option<u64>,
    /// CD2e: advisory inbound rate.
    pub max_inbound_rate: Option<u64>,
    /// CD2f: ms the server keeps connection state for a resume (RTN14e).
    pub connection_state_ttl: Option<u64>,
    /// CD2h: max ms between server transmissions; idle limit adds `realtimeRequestTimeout` (RTN23a).
    pub max_idle_interval: Option<u64>,
    /// CD2g: server identity.
    pub server_id: Option<String>,
    /// Site code.
    pub site_code: Option<String>,
}

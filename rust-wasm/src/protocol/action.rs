//! Protocol message actions (TR2).

/// What a [`ProtocolMessage`](crate::ProtocolMessage) means (TR2). Numbers on the wire.
///
/// Unknown numbers decode to [`Action::Unknown`] rather than failing the frame: unknown actions
/// are ignored, not fatal (RSF1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// 0: keep-alive, both ways; a ping carries an `id` that is echoed (RTN13).
    #[default]
    Heartbeat,
    /// 1: server acknowledges `count` publishes from `msgSerial` (RTN7a).
    Ack,
    /// 2: server rejects `count` publishes from `msgSerial` (RTN7a).
    Nack,
    /// 3: unused.
    Connect,
    /// 4: connection established or updated (RTN4, RTN24).
    Connected,
    /// 5: the client abandons a transport.
    Disconnect,
    /// 6: the server drops the transport (RTN15h).
    Disconnected,
    /// 7: the client asks to close (RTN12).
    Close,
    /// 8: the server confirms close.
    Closed,
    /// 9: connection error (no channel) or channel error (RTN15i, RTL14).
    Error,
    /// 10: attach a channel (RTL4).
    Attach,
    /// 11: channel attached (RTL4).
    Attached,
    /// 12: detach a channel (RTL5).
    Detach,
    /// 13: channel detached (RTL5, RTL13).
    Detached,
    /// 14: presence messages.
    Presence,
    /// 15: messages, both ways (RTL6, RTL17).
    Message,
    /// 16: presence sync.
    Sync,
    /// 17: re-authentication.
    Auth,
    /// 18: deprecated.
    Activate,
    /// 19: LiveObjects.
    Object,
    /// 20: LiveObjects sync.
    ObjectSync,
    /// 21: annotations.
    Annotation,
    /// Any other number; ignored (RSF1).
    Unknown(u8),
}

const KNOWN: [Action; 22] = [
    Action::Heartbeat,
    Action::Ack,
    Action::Nack,
    Action::Connect,
    Action::Connected,
    Action::Disconnect,
    Action::Disconnected,
    Action::Close,
    Action::Closed,
    Action::Error,
    Action::Attach,
    Action::Attached,
    Action::Detach,
    Action::Detached,
    Action::Presence,
    Action::Message,
    Action::Sync,
    Action::Auth,
    Action::Activate,
    Action::Object,
    Action::ObjectSync,
    Action::Annotation,
];

impl Action {
    /// Every action with a name, in wire order (0..=21).
    pub const ALL: &'static [Action] = &KNOWN;

    /// The action for a wire number.
    pub fn from_u8(n: u8) -> Action {
        KNOWN
            .get(usize::from(n))
            .copied()
            .unwrap_or(Action::Unknown(n))
    }

    /// The wire number.
    pub fn as_u8(self) -> u8 {
        match self {
            Action::Unknown(n) => n,
            known => KNOWN.iter().position(|a| *a == known).unwrap_or(0) as u8,
        }
    }

    /// Whether a publish of this action needs an ACK and a `msgSerial` (RTN7a, TR4).
    pub fn needs_ack(self) -> bool {
        matches!(
            self,
            Action::Message | Action::Presence | Action::Object | Action::Annotation
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tr2_numbers_round_trip() {
        for (n, a) in Action::ALL.iter().enumerate() {
            assert_eq!(usize::from(a.as_u8()), n);
            assert_eq!(Action::from_u8(n as u8), *a);
        }
        assert_eq!(Action::from_u8(99), Action::Unknown(99));
        assert_eq!(Action::Unknown(99).as_u8(), 99);
        assert_eq!(Action::Connected.as_u8(), 4);
        assert_eq!(Action::Message.as_u8(), 15);
    }
}

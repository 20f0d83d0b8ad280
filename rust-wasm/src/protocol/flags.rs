//! Protocol message flags (TR3): a bit field; bit n has value `1 << n`.

/// Flags on ATTACH/ATTACHED and other protocol messages (TR3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u32);

impl Flags {
    /// TR3a: a presence SYNC follows the ATTACHED.
    pub const HAS_PRESENCE: Flags = Flags(1 << 0);
    /// TR3b: a backlog follows the ATTACHED.
    pub const HAS_BACKLOG: Flags = Flags(1 << 1);
    /// TR3c: channel continuity was preserved (RTL4j, RTL18).
    pub const RESUMED: Flags = Flags(1 << 2);
    /// TR3d: transient publish.
    pub const TRANSIENT: Flags = Flags(1 << 4);
    /// TR3e: deprecated; the client no longer sets it (spec 6.1.0).
    pub const ATTACH_RESUME: Flags = Flags(1 << 5);
    /// TR3g: LiveObjects state follows.
    pub const HAS_OBJECTS: Flags = Flags(1 << 7);
    /// TR3q mode: presence.
    pub const PRESENCE: Flags = Flags(1 << 16);
    /// TR3r mode: publish.
    pub const PUBLISH: Flags = Flags(1 << 17);
    /// TR3s mode: subscribe to messages.
    pub const SUBSCRIBE: Flags = Flags(1 << 18);
    /// TR3t mode: subscribe to presence.
    pub const PRESENCE_SUBSCRIBE: Flags = Flags(1 << 19);
    /// Mode: annotation publish.
    pub const ANNOTATION_PUBLISH: Flags = Flags(1 << 21);
    /// Mode: annotation subscribe.
    pub const ANNOTATION_SUBSCRIBE: Flags = Flags(1 << 22);
    /// Mode: object subscribe.
    pub const OBJECT_SUBSCRIBE: Flags = Flags(1 << 24);
    /// Mode: object publish.
    pub const OBJECT_PUBLISH: Flags = Flags(1 << 25);
    /// The four classic modes, `0xF0000`.
    pub const DEFAULT_MODES: Flags = Flags(0xF_0000);
    /// All mode bits.
    pub const MODES: Flags = Flags(0xF_0000 | (1 << 21) | (1 << 22) | (1 << 24) | (1 << 25));

    /// Whether every bit of `other` is set.
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Only the mode bits.
    pub fn modes(self) -> Flags {
        Flags(self.0 & Self::MODES.0)
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tr3_values() {
        assert_eq!(Flags::RESUMED.0, 4);
        assert_eq!(Flags::SUBSCRIBE.0, 262_144);
        assert_eq!(
            Flags::PRESENCE | Flags::PUBLISH | Flags::SUBSCRIBE | Flags::PRESENCE_SUBSCRIBE,
            Flags::DEFAULT_MODES
        );
        let f = Flags::DEFAULT_MODES | Flags::RESUMED;
        assert!(f.contains(Flags::RESUMED) && !f.contains(Flags::HAS_PRESENCE));
        assert_eq!(f.modes(), Flags::DEFAULT_MODES);
    }
}

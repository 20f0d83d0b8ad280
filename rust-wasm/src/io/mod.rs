//! What crosses between the core and its driver: transport work ([`Transmit`]), events for the
//! app ([`Event`]) and the handles they carry, plus the context a channel transition writes to.
//! The connection and the channels both depend on this module, never on each other both ways.

mod event;
mod transmit;

use std::collections::VecDeque;

pub use event::{ChannelId, Event, PingId, PublishId};
pub(crate) use transmit::Out;
pub use transmit::Transmit;

use crate::options::Timeouts;
use crate::time::Instant;
use crate::util::rng::Rng;

/// Everything a channel transition may touch besides the channel itself.
pub(crate) struct Io<'a> {
    pub(crate) now: Instant,
    /// Whether frames can be sent now (connection `connected`).
    pub(crate) connected: bool,
    pub(crate) out: &'a mut VecDeque<Out>,
    pub(crate) events: &'a mut VecDeque<Event>,
    pub(crate) timeouts: &'a Timeouts,
    /// Jitter for retry delays (RTB1b).
    pub(crate) rng: &'a mut Rng,
}

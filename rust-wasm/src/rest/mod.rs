//! REST as values (RSC*, RSL1, RSL2): [`Rest`] builds [`Request`]s; the driver performs them
//! (`fetch`) and hands the [`Response`] to a `parse_*` function. No I/O here.

mod link;
mod request;
mod response;

pub use request::{Direction, HistoryParams, Method, Request, MAX_HISTORY_LIMIT};
pub use response::{parse_error, parse_history, parse_publish, parse_time, Page, Response};

use crate::codec::{Encode, Write, Writer};
use crate::error::Error;
use crate::options::ClientOptions;
use crate::protocol::Message;
use crate::util::{base64, decimal::child_id, rng::Rng};
use request::Builder;

/// Default `maxMessageSize` for REST publishes (TO3l8).
const MAX_MESSAGE_SIZE: usize = 65_536;

/// A REST client: request builder with its options and a seeded RNG for idempotent ids.
#[derive(Debug)]
pub struct Rest {
    options: ClientOptions,
    rng: Rng,
}

/// One entry of a batch publish (`POST /messages`, BSP2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchSpec {
    /// Channels to publish to.
    pub channels: Vec<String>,
    /// Messages to publish on each.
    pub messages: Vec<Message>,
}

impl Encode for BatchSpec {
    fn encode(&self, w: &mut Writer<'_>) {
        w.map(2);
        w.key("channels");
        w.array(self.channels.len());
        for c in &self.channels {
            w.str(c);
        }
        w.end_array();
        w.key("messages");
        self.messages.encode(w);
        w.end_map();
    }
}

impl Rest {
    /// A REST client (RSC1).
    pub fn new(options: ClientOptions) -> Self {
        let rng = Rng::new(options.rng_seed ^ 0x7E57);
        Rest { options, rng }
    }

    /// The options in use.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    fn builder(&self) -> Builder<'_> {
        Builder {
            options: &self.options,
        }
    }

    /// RSL1k1: if idempotent publishing is on and no message has an id, give them
    /// `<base64 of 9 random bytes>:<index>`.
    fn assign_ids(&mut self, messages: &mut [Message]) {
        if !self.options.idempotent_rest_publishing || messages.iter().any(|m| m.id.is_some()) {
            return;
        }
        let mut raw = [0u8; 9];
        self.rng.fill(&mut raw);
        let base = base64::encode(&raw);
        for (i, m) in messages.iter_mut().enumerate() {
            m.id = Some(child_id(&base, i));
        }
    }

    fn check_size(messages: &[Message]) -> Result<(), Error> {
        let size: usize = messages.iter().map(Message::size).sum();
        if size > MAX_MESSAGE_SIZE {
            return Err(Error::too_large(size, MAX_MESSAGE_SIZE)); // RSL1i
        }
        Ok(())
    }

    /// `channel.publish(messages)` (RSL1): one POST with an array body, ids assigned (RSL1k).
    /// Parse the answer with [`parse_publish`].
    pub fn publish(&mut self, channel: &str, mut messages: Vec<Message>) -> Result<Request, Error> {
        Self::check_size(&messages)?;
        self.assign_ids(&mut messages);
        self.builder().publish(channel, &messages)
    }

    /// Batch publish to several channels (`POST /messages`, RSC19/BSP). Parse the answer with
    /// [`Response`] as an array of batch results (not modelled yet).
    pub fn batch_publish(&mut self, mut specs: Vec<BatchSpec>) -> Result<Request, Error> {
        for s in &mut specs {
            Self::check_size(&s.messages)?;
            self.assign_ids(&mut s.messages);
        }
        self.builder().post("/messages", &specs)
    }

    /// `channel.history(params)` (RSL2). Parse with [`parse_history`].
    pub fn history(&self, channel: &str, params: &HistoryParams) -> Result<Request, Error> {
        self.builder().history(channel, params)
    }

    /// The page after one returned by [`parse_history`]: `next` is [`Page::next`] (TG4).
    pub fn history_next(&self, channel: &str, next: &str) -> Request {
        let path = request::channel_path(channel) + "/messages" + next;
        self.builder().get(&path)
    }

    /// `time()` (RSC16). Parse with [`parse_time`].
    pub fn time(&self) -> Request {
        self.builder().time()
    }
}

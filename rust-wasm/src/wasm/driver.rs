//! The realtime driver loop (in the shape of quinn's `ConnectionDriver`): feed one input to the core,
//! drain `poll_transmit` into the socket with one reused buffer, re-arm the one timer if
//! `poll_timeout` changed, then dispatch `poll_event` to JS with no Rust borrow held, so
//! callbacks may call back into the client.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;

use super::batch::Batch;
use super::convert::{error_value, reason_value, Waiter};
use super::js;
use super::snippets::{message_frame, Emitter, ParsedFrame, Publishes, Subscriptions};
use super::socket::Socket;
use super::timer::Timer;
use crate::{
    ChannelId, ClientOptions, Connection, ConnectionState, Event, Format, Instant, PublishId,
    Settle, Transmit,
};

pub(super) type Shared = Rc<RefCell<Driver>>;

/// JS-side state of one channel, indexed by `ChannelId`.
#[derive(Default)]
pub(super) struct ChannelSlot {
    /// Message listeners (JS, `js/subscriptions.js`), created by the first `subscribe`.
    pub(super) subscribers: Option<Subscriptions>,
    /// State listeners (JS, `js/subscriptions.js`), created by the first `on`.
    pub(super) listeners: Option<Emitter>,
    pub(super) attach: Vec<Waiter>,
    pub(super) detach: Vec<Waiter>,
}

/// What the JS API waits on and calls back.
pub(super) struct App {
    /// Connection state listeners (JS, `js/subscriptions.js`).
    pub(super) listeners: Emitter,
    pub(super) when_state: Vec<(ConnectionState, Waiter)>,
    pub(super) channels: Vec<ChannelSlot>,
    /// Publish promises awaiting ACK/NACK, by `PublishId` (JS, `js/publishes.js`).
    pub(super) publishes: Publishes,
    /// `ping()`s awaiting their outcome, by `PingId`.
    pub(super) pings: Vec<(u64, Waiter)>,
}

impl App {
    fn new() -> Self {
        App {
            listeners: Emitter::new(),
            when_state: Vec::new(),
            channels: Vec::new(),
            publishes: Publishes::new(),
            pings: Vec::new(),
        }
    }

    pub(super) fn slot(&mut self, id: ChannelId) -> &mut ChannelSlot {
        let i = id.0 as usize;
        if self.channels.len() <= i {
            self.channels.resize_with(i + 1, ChannelSlot::default);
        }
        &mut self.channels[i]
    }
}

pub(super) struct Driver {
    pub(super) conn: Connection,
    pub(super) app: App,
    /// Outbound frames are encoded here, one at a time.
    tx: Vec<u8>,
    /// Inbound binary frames are copied here from their ArrayBuffer, once.
    rx: Vec<u8>,
    socket: Option<Socket>,
    /// Which socket the listeners belong to; stale events are ignored.
    socket_gen: u32,
    timer: Timer,
    dispatching: bool,
    /// Buffers for packing a frame's messages or an ACK's serials for JS, reused.
    batch: Batch,
    /// A JSON MESSAGE frame parsed in JS that the core accepted, to deliver on dispatch.
    parsed: Option<(ChannelId, ParsedFrame)>,
    /// JSON frames: MESSAGE frames are parsed in JS (`js/json_frames.js`).
    json: bool,
    me: Weak<RefCell<Driver>>,
}

impl Driver {
    pub(super) fn new(options: ClientOptions) -> Shared {
        Rc::new_cyclic(|me: &Weak<RefCell<Driver>>| {
            let w = me.clone();
            let timer = Timer::new(move || {
                if let Some(d) = w.upgrade() {
                    input(&d, |d, now| {
                        d.timer.fired();
                        d.conn.handle_timeout(now);
                    });
                }
            });
            RefCell::new(Driver {
                json: options.format == Format::Json,
                conn: Connection::new(options),
                app: App::new(),
                tx: Vec::with_capacity(1024),
                rx: Vec::new(),
                socket: None,
                socket_gen: 0,
                timer,
                dispatching: false,
                batch: Batch::default(),
                parsed: None,
                me: me.clone(),
            })
        })
    }

    /// Drains transport work, then re-arms the timer (steps 2 and 3 of the loop).
    fn flush(&mut self, now: Instant) {
        while let Some(t) = self.conn.poll_transmit(&mut self.tx) {
            match t {
                Transmit::Open { url } => self.open(now, &url),
                Transmit::Send { text } => {
                    if let Some(s) = &self.socket {
                        if text {
                            s.send_text(std::str::from_utf8(&self.tx).unwrap_or_default());
                        } else {
                            s.send_binary(&self.tx);
                        }
                    }
                }
                Transmit::Close => self.socket = None, // Drop detaches listeners and closes.
            }
        }
        self.timer.arm(self.conn.poll_timeout(), now);
    }

    fn open(&mut self, now: Instant, url: &str) {
        self.socket = None;
        self.socket_gen = self.socket_gen.wrapping_add(1);
        let gen = self.socket_gen;
        let (on_msg, on_close) = (self.me.clone(), self.me.clone());
        let opened = Socket::open(
            url,
            move |ev| {
                if let Some(d) = on_msg.upgrade() {
                    input(&d, |d, now| d.on_frame(now, gen, &ev));
                }
            },
            move |_| {
                if let Some(d) = on_close.upgrade() {
                    input(&d, |d, now| d.on_closed(now, gen));
                }
            },
        );
        match opened {
            Ok(s) => self.socket = Some(s),
            Err(_) => self.conn.handle_transport_closed(now), // e.g. a malformed URL
        }
    }

    fn on_frame(&mut self, now: Instant, gen: u32, ev: &MessageEvent) {
        if gen != self.socket_gen || self.socket.is_none() {
            return;
        }
        let data = ev.data();
        if self.json {
            // MESSAGE frames stay in JS: the engine's JSON.parse beats copying the text into
            // wasm and decoding it here; the core only sees the header it needs.
            if let Some(frame) = message_frame(&data) {
                let channel = frame.channel();
                let accepted =
                    self.conn
                        .handle_message_frame_header(now, &channel, frame.channel_serial());
                self.parsed = accepted.map(|id| (id, frame));
                return;
            }
        }
        let result = if let Some(text) = data.as_string() {
            self.conn.handle_frame(now, text.as_bytes())
        } else if let Some(buf) = data.dyn_ref::<ArrayBuffer>() {
            // One copy, ArrayBuffer -> wasm memory; decode there.
            let view = Uint8Array::new(buf);
            self.rx.clear();
            self.rx.resize(view.length() as usize, 0);
            view.copy_to(&mut self.rx);
            self.conn.handle_frame(now, &self.rx)
        } else {
            return;
        };
        if let Err(e) = result {
            let why = e.to_error_info().message;
            js::console_warn(&["ably: dropped an inbound frame: ", &why].concat());
        }
    }

    /// A close or error the core did not ask for (RTN14d, RTN15a).
    fn on_closed(&mut self, now: Instant, gen: u32) {
        if gen == self.socket_gen && self.socket.take().is_some() {
            self.conn.handle_transport_closed(now);
        }
    }

    /// Drops the transport as if the network failed (for recovery tests): the core resumes.
    pub(super) fn drop_transport(&mut self, now: Instant) {
        if self.socket.take().is_some() {
            self.conn.handle_transport_closed(now);
        }
    }
}

/// Feeds one input (or app command) `f`, flushes, then dispatches events. Not reentrant while
/// `f` runs; callbacks run afterwards and may call back in.
pub(super) fn input<R>(shared: &Shared, f: impl FnOnce(&mut Driver, Instant) -> R) -> R {
    let now = js::now();
    let r = {
        let mut d = shared.borrow_mut();
        let r = f(&mut d, now);
        d.flush(now);
        r
    };
    dispatch(shared);
    r
}

/// Step 4: hands events to JS one at a time, borrowing the driver only to fetch each. A nested
/// call (a callback calling `publish`) leaves its events to the outer loop, preserving order.
fn dispatch(shared: &Shared) {
    if std::mem::replace(&mut shared.borrow_mut().dispatching, true) {
        return;
    }
    // Consecutive ACKed publishes (one ACK frame's worth) settle in one call to JS.
    let mut acks = Vec::new();
    let parsed = shared.borrow_mut().parsed.take();
    if let Some((channel, frame)) = parsed {
        deliver_parsed(shared, channel, &frame);
    }
    loop {
        let ev = shared.borrow_mut().conn.poll_event();
        match ev {
            Some(Event::Published { id, result: Ok(r) }) => acks.push((id, r)),
            Some(ev) => {
                settle_acks(shared, &mut acks);
                deliver(shared, ev);
            }
            None => break,
        }
    }
    settle_acks(shared, &mut acks);
    shared.borrow_mut().dispatching = false;
}

/// A JSON MESSAGE frame parsed in JS, to the channel's listeners (one call).
fn deliver_parsed(shared: &Shared, channel: ChannelId, frame: &ParsedFrame) {
    let subs = shared
        .borrow()
        .app
        .channels
        .get(channel.0 as usize)
        .and_then(|s| s.subscribers.clone());
    if let Some(subs) = subs {
        subs.deliver_parsed(frame);
    }
}

/// Resolves the publish promises of `acks` with one call into JS (`js/publishes.js`).
fn settle_acks(shared: &Shared, acks: &mut Vec<(PublishId, crate::protocol::PublishResult)>) {
    if acks.is_empty() {
        return;
    }
    // The batch leaves the driver while JS runs: promise reactions run later, but keep no borrow.
    let (mut batch, publishes) = {
        let mut d = shared.borrow_mut();
        (std::mem::take(&mut d.batch), d.app.publishes.clone())
    };
    batch.pack_acks(acks);
    acks.clear();
    publishes.acked(&batch.text, &batch.nums);
    shared.borrow_mut().batch = batch;
}

/// Resolves waiters with `value` or rejects them with their error, as the core decided.
fn settle(settled: Vec<(Waiter, Settle)>, value: &JsValue) {
    for (w, outcome) in settled {
        match outcome {
            Settle::Resolve => w.resolve(value),
            Settle::Reject(e) => w.reject(&error_value(&e)),
            Settle::Wait => {}
        }
    }
}

fn deliver(shared: &Shared, ev: Event) {
    match ev {
        Event::Messages { channel, messages } => {
            let target = {
                let mut d = shared.borrow_mut();
                let subs = d
                    .app
                    .channels
                    .get(channel.0 as usize)
                    .and_then(|s| s.subscribers.clone());
                subs.map(|s| (s, std::mem::take(&mut d.batch)))
            };
            let Some((subs, mut batch)) = target else {
                return;
            };
            // One call per frame; listeners run in JS and may call back into the client, so
            // no borrow is held and the batch is out of the driver meanwhile.
            batch.pack_messages(&messages);
            subs.deliver(&batch.text, &batch.nums, &batch.bytes);
            shared.borrow_mut().batch = batch;
        }
        Event::Published { id, result } => {
            if let Err(e) = result {
                let publishes = shared.borrow().app.publishes.clone();
                publishes.failed(id.0 as f64, &error_value(&e)); // NACK (RTN7a) or failure (RTN7e)
            }
        }
        Event::ConnectionState(c) => {
            // Which `whenState` waiters settle, and how, is the core's decision (`settles`).
            let (listeners, settled) = {
                let mut d = shared.borrow_mut();
                let app = &mut d.app;
                let mut settled = Vec::new();
                for (want, w) in std::mem::take(&mut app.when_state) {
                    match c.settles(want) {
                        Settle::Wait => app.when_state.push((want, w)),
                        outcome => settled.push((w, outcome)),
                    }
                }
                (app.listeners.clone(), settled)
            };
            let value = js::mk_connection_change(
                c.previous.as_str(),
                c.current.as_str(),
                reason_value(c.reason.as_ref()),
                c.retry_in.map(|d| d.as_millis() as f64),
            );
            settle(settled, &value);
            let event = if c.previous == c.current {
                "update"
            } else {
                c.current.as_str()
            };
            listeners.emit(event, &value);
        }
        Event::ChannelState { channel, change } => {
            // Likewise for attach/detach waiters (`settles_attach`, `settles_detach`).
            let (listeners, settled) = {
                let mut d = shared.borrow_mut();
                let slot = d.app.slot(channel);
                let mut settled = Vec::new();
                for (waiters, outcome) in [
                    (&mut slot.attach, change.settles_attach()),
                    (&mut slot.detach, change.settles_detach()),
                ] {
                    if outcome != Settle::Wait {
                        settled.extend(waiters.drain(..).map(|w| (w, outcome.clone())));
                    }
                }
                (slot.listeners.clone(), settled)
            };
            let value = js::mk_channel_change(
                change.previous.as_str(),
                change.current.as_str(),
                reason_value(change.reason.as_ref()),
                change.resumed,
            );
            settle(settled, &value);
            let event = if change.previous == change.current {
                "update"
            } else {
                change.current.as_str()
            };
            if let Some(listeners) = listeners {
                listeners.emit(event, &value);
            }
        }
        Event::Pong { id, result } => {
            let waiter = {
                let mut d = shared.borrow_mut();
                let q = &mut d.app.pings;
                q.iter()
                    .position(|e| e.0 == id.0)
                    .map(|i| q.swap_remove(i).1)
            };
            if let Some(w) = waiter {
                match result {
                    Ok(rtt) => w.resolve(&JsValue::from_f64(rtt.as_millis() as f64)),
                    Err(e) => w.reject(&error_value(&e)), // RTN13c timeout, or connection lost
                }
            }
        }
        // Presence is not exposed in JS yet.
        Event::Presence { .. } => {}
    }
}

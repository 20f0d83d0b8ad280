//! `RealtimeClient` and `RealtimeChannel`: the realtime JS API over the driver loop.

use std::rc::{Rc, Weak};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::convert::{
    self, error_value, invalid, messages_from_args, promise, reason_value, rejected,
};
use super::driver::{input, Driver, Shared};
use super::snippets::{Emitter, Subscriptions};
use crate::{ChannelId, ChannelState, ConnectionState, ErrorInfo};

/// A realtime client: one connection and its channels (RTC1, RTN). It owns the connection:
/// call `close()` (graceful) and `free()` (release) when done; with `--weak-refs` an unreachable
/// client is released by the garbage collector.
#[wasm_bindgen]
pub struct RealtimeClient {
    driver: Shared,
}

/// `(filter?, callback)` from `(callback)` or `(name, callback)`.
fn filter_and_callback(a: &JsValue, b: &JsValue) -> Result<(Option<Box<str>>, Function), JsValue> {
    if let Some(f) = a.dyn_ref::<Function>() {
        return Ok((None, f.clone()));
    }
    let filter = if a.is_undefined() || a.is_null() {
        None
    } else {
        Some(
            a.as_string()
                .ok_or_else(|| invalid(40000, "Expected an event name or a callback"))?
                .into_boxed_str(),
        )
    };
    let cb = b
        .dyn_ref::<Function>()
        .ok_or_else(|| invalid(40000, "Expected a callback function"))?;
    Ok((filter, cb.clone()))
}

fn parse_state(s: &str) -> Option<ConnectionState> {
    use ConnectionState::*;
    [
        Initialized,
        Connecting,
        Connected,
        Disconnected,
        Suspended,
        Closing,
        Closed,
        Failed,
    ]
    .into_iter()
    .find(|c| c.as_str() == s)
}

#[wasm_bindgen]
impl RealtimeClient {
    /// `new RealtimeClient(keyOrOptions)`; connects at once unless `autoConnect: false`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<RealtimeClient, JsValue> {
        let opts = convert::client_options(&options)?;
        let client = RealtimeClient {
            driver: Driver::new(opts),
        };
        // Before connecting, the only possible reason is an unreadable `recover` key: ably-js
        // logs it and connects as a new connection; so do we (it also stays in errorReason).
        if let Some(e) = client.driver.borrow().conn.error_reason() {
            super::js::console_warn(&["ably: ", &e.message].concat());
        }
        if convert::auto_connect(&options) {
            client.connect();
        }
        Ok(client)
    }

    /// `connection.connect()` (RTN11).
    pub fn connect(&self) {
        input(&self.driver, |d, now| d.conn.connect(now));
    }

    /// `connection.close()` (RTN12): CLOSE, then `closed`.
    pub fn close(&self) {
        input(&self.driver, |d, now| d.conn.close(now));
    }

    /// Drops the transport as a network failure would (no CLOSE): the client goes
    /// `disconnected` and resumes at once (RTN15a). For recovery tests.
    pub fn disconnect(&self) {
        input(&self.driver, |d, now| d.drop_transport(now));
    }

    /// `connection.createRecoveryKey()` (RTN16g): a JSON string to pass as the `recover` option
    /// of a new client (e.g. after a page reload), or `null` without a connection to recover
    /// (no connection key yet; closing, closed, failed or suspended).
    #[wasm_bindgen(js_name = createRecoveryKey, unchecked_return_type = "string | null")]
    pub fn create_recovery_key(&self) -> JsValue {
        match self.driver.borrow().conn.create_recovery_key() {
            Some(key) => JsValue::from(key),
            None => JsValue::NULL, // as ably-js
        }
    }

    /// `connection.ping()` (RTN13): resolves with the round trip in ms once the server echoes
    /// the HEARTBEAT; rejects if not connected (40000), after `realtimeRequestTimeout` (50000)
    /// or if the connection drops first.
    #[wasm_bindgen(unchecked_return_type = "Promise<number>")]
    pub fn ping(&self) -> Promise {
        let (p, w) = promise();
        let r = input(&self.driver, |d, now| {
            let id = d.conn.ping(now)?;
            d.app.pings.push((id.0, w));
            Ok::<_, crate::Error>(())
        });
        match r {
            Ok(()) => p,
            Err(e) => rejected(e.into()),
        }
    }

    /// `connection.state` (RTN4).
    #[wasm_bindgen(getter, unchecked_return_type = "ConnectionState")]
    pub fn state(&self) -> String {
        self.driver.borrow().conn.state().as_str().to_owned()
    }

    /// `connection.id` (RTN8).
    #[wasm_bindgen(getter, js_name = connectionId)]
    pub fn connection_id(&self) -> Option<String> {
        self.driver.borrow().conn.id().map(str::to_owned)
    }

    /// `connection.key` (RTN9).
    #[wasm_bindgen(getter, js_name = connectionKey)]
    pub fn connection_key(&self) -> Option<String> {
        self.driver.borrow().conn.key().map(str::to_owned)
    }

    /// The client id, as confirmed by CONNECTED (RSA7).
    #[wasm_bindgen(getter, js_name = clientId)]
    pub fn client_id(&self) -> Option<String> {
        self.driver.borrow().conn.client_id().map(str::to_owned)
    }

    /// `connection.errorReason` (RTN25).
    #[wasm_bindgen(getter, js_name = errorReason, unchecked_return_type = "ErrorInfo | undefined")]
    pub fn error_reason(&self) -> JsValue {
        reason_value(self.driver.borrow().conn.error_reason())
    }

    /// Publishes queued or awaiting ACK.
    #[wasm_bindgen(getter, js_name = publishesPending)]
    pub fn publishes_pending(&self) -> usize {
        self.driver.borrow().conn.publishes_pending()
    }

    /// `connection.on([event], callback)`: state changes, or `"update"` (RTN24).
    #[wasm_bindgen(skip_typescript)]
    pub fn on(&self, event_or_callback: JsValue, callback: JsValue) -> Result<(), JsValue> {
        let (filter, callback) = filter_and_callback(&event_or_callback, &callback)?;
        let listeners = self.driver.borrow().app.listeners.clone();
        listeners.add(filter.as_deref(), &callback);
        Ok(())
    }

    /// Removes connection listeners: all, by event, by callback, or both.
    #[wasm_bindgen(skip_typescript)]
    pub fn off(&self, event_or_callback: JsValue, callback: JsValue) {
        let listeners = self.driver.borrow().app.listeners.clone();
        listeners.remove(&event_or_callback, &callback);
    }

    /// Resolves when the connection is in `state` (at once if it already is); rejects if the
    /// connection fails or closes first.
    #[wasm_bindgen(js_name = whenState, unchecked_return_type = "Promise<ConnectionStateChange | null>")]
    pub fn when_state(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConnectionState")] state: &str,
    ) -> Promise {
        let Some(want) = parse_state(state) else {
            return rejected(invalid(
                40000,
                &["No connection state `", state, "`"].concat(),
            ));
        };
        if self.driver.borrow().conn.state() == want {
            return Promise::resolve(&JsValue::NULL);
        }
        let (p, w) = promise();
        self.driver.borrow_mut().app.when_state.push((want, w));
        p
    }

    /// `channels.get(name)` (RTS3a): a handle, created on first use.
    pub fn channel(&self, name: &str) -> RealtimeChannel {
        let id = self.driver.borrow_mut().conn.channel(name);
        RealtimeChannel {
            driver: Rc::downgrade(&self.driver),
            id,
        }
    }
}

/// A realtime channel handle (RTL). It does not keep the client alive.
#[wasm_bindgen]
pub struct RealtimeChannel {
    driver: Weak<std::cell::RefCell<Driver>>,
    id: ChannelId,
}

fn freed() -> JsValue {
    error_value(&ErrorInfo::client_freed())
}

impl RealtimeChannel {
    fn shared(&self) -> Result<Shared, JsValue> {
        self.driver.upgrade().ok_or_else(freed)
    }

    fn attach_inner(&self, shared: &Shared) -> Promise {
        let (p, w) = promise();
        let id = self.id;
        let r = input(shared, |d, now| {
            d.conn.attach(now, id)?;
            if d.conn
                .channel_state(id)
                .is_some_and(ChannelState::attach_settled)
            {
                Ok::<_, crate::Error>(Some(w))
            } else {
                d.app.slot(id).attach.push(w);
                Ok(None)
            }
        });
        match r {
            Ok(Some(w)) => {
                w.resolve(&JsValue::NULL);
                p
            }
            Ok(None) => p,
            Err(e) => rejected(e.into()),
        }
    }
}

#[wasm_bindgen]
impl RealtimeChannel {
    /// The channel name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> Option<String> {
        let d = self.driver.upgrade()?;
        let d = d.borrow();
        d.conn.channel_name(self.id).map(str::to_owned)
    }

    /// `channel.state` (RTL2).
    #[wasm_bindgen(getter, unchecked_return_type = "ChannelState")]
    pub fn state(&self) -> String {
        self.driver
            .upgrade()
            .and_then(|d| d.borrow().conn.channel_state(self.id))
            .unwrap_or(ChannelState::Failed)
            .as_str()
            .to_owned()
    }

    /// `channel.errorReason` (RTL4e).
    #[wasm_bindgen(getter, js_name = errorReason, unchecked_return_type = "ErrorInfo | undefined")]
    pub fn error_reason(&self) -> JsValue {
        self.driver.upgrade().map_or(JsValue::UNDEFINED, |d| {
            reason_value(d.borrow().conn.channel_error(self.id))
        })
    }

    /// `attach()` (RTL4): resolves when attached (with the state change, or `null` if it already
    /// was); rejects with the reason if the channel fails, suspends or detaches instead.
    #[wasm_bindgen(unchecked_return_type = "Promise<ChannelStateChange | null>")]
    pub fn attach(&self) -> Promise {
        match self.shared() {
            Ok(s) => self.attach_inner(&s),
            Err(e) => rejected(e),
        }
    }

    /// `detach()` (RTL5).
    #[wasm_bindgen(unchecked_return_type = "Promise<ChannelStateChange | null>")]
    pub fn detach(&self) -> Promise {
        let shared = match self.shared() {
            Ok(s) => s,
            Err(e) => return rejected(e),
        };
        let (p, w) = promise();
        let id = self.id;
        let r = input(&shared, |d, now| {
            d.conn.detach(now, id)?;
            match d.conn.channel_state(id) {
                Some(s) if s.detach_settled() => Ok::<_, crate::Error>(Some(w)),
                _ => {
                    d.app.slot(id).detach.push(w);
                    Ok(None)
                }
            }
        });
        match r {
            Ok(Some(w)) => {
                w.resolve(&JsValue::NULL);
                p
            }
            Ok(None) => p,
            Err(e) => rejected(e.into()),
        }
    }

    /// `publish(name, data)`, `publish(message)` or `publish(messages[])` (RTL6): one frame;
    /// resolves with `{serials}` on ACK, rejects with the error (`code`, `statusCode`) on NACK.
    #[wasm_bindgen(skip_typescript)]
    pub fn publish(&self, name_or_messages: JsValue, data: JsValue) -> Promise {
        let shared = match self.shared() {
            Ok(s) => s,
            Err(e) => return rejected(e),
        };
        let messages = match messages_from_args(&name_or_messages, &data) {
            Ok(m) => m,
            Err(e) => return rejected(e),
        };
        let id = self.id;
        let r = input(&shared, |d, now| {
            let pid = d.conn.publish(now, id, messages)?;
            Ok::<_, crate::Error>(d.app.publishes.wait(pid.0 as f64))
        });
        r.unwrap_or_else(|e| rejected(e.into()))
    }

    /// `subscribe([name], callback)` (RTL7): one call per message (optionally only those named
    /// `name`); attaches implicitly (RTL7c) and returns the attach promise.
    #[wasm_bindgen(skip_typescript)]
    pub fn subscribe(&self, name_or_callback: JsValue, callback: JsValue) -> Promise {
        let shared = match self.shared() {
            Ok(s) => s,
            Err(e) => return rejected(e),
        };
        let (filter, callback) = match filter_and_callback(&name_or_callback, &callback) {
            Ok(x) => x,
            Err(e) => return rejected(e),
        };
        {
            let mut d = shared.borrow_mut();
            let slot = d.app.slot(self.id);
            let subs = slot.subscribers.get_or_insert_with(Subscriptions::new);
            subs.add(filter.as_deref(), &callback);
        }
        self.attach_inner(&shared)
    }

    /// `unsubscribe()` all, `(callback)`, `(name)` or `(name, callback)` (RTL8).
    #[wasm_bindgen(skip_typescript)]
    pub fn unsubscribe(&self, name_or_callback: JsValue, callback: JsValue) {
        let Some(shared) = self.driver.upgrade() else {
            return;
        };
        let subs = shared.borrow_mut().app.slot(self.id).subscribers.clone();
        if let Some(subs) = subs {
            subs.remove(&name_or_callback, &callback);
        }
    }

    /// `channel.on([event], callback)`: channel state changes (RTL2).
    #[wasm_bindgen(skip_typescript)]
    pub fn on(&self, event_or_callback: JsValue, callback: JsValue) -> Result<(), JsValue> {
        let shared = self.shared()?;
        let (filter, callback) = filter_and_callback(&event_or_callback, &callback)?;
        let listeners = {
            let mut d = shared.borrow_mut();
            let slot = d.app.slot(self.id);
            slot.listeners.get_or_insert_with(Emitter::new).clone()
        };
        listeners.add(filter.as_deref(), &callback);
        Ok(())
    }

    /// Removes channel state listeners.
    #[wasm_bindgen(skip_typescript)]
    pub fn off(&self, event_or_callback: JsValue, callback: JsValue) {
        let Some(shared) = self.driver.upgrade() else {
            return;
        };
        let listeners = shared.borrow_mut().app.slot(self.id).listeners.clone();
        if let Some(listeners) = listeners {
            listeners.remove(&event_or_callback, &callback);
        }
    }
}

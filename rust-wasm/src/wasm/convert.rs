//! Options, messages and errors between JS values and core types.

use std::time::Duration;

use js_sys::{Array, Reflect};
#[cfg(feature = "realtime")]
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js;
#[cfg(feature = "rest")]
use crate::protocol::PublishResult;
use crate::{ClientOptions, Data, Error, ErrorInfo, Format, Message};

// ---- errors ----

/// An `ErrorInfo` as a JS `Error` with `code` and `statusCode`, like ably-js's.
pub(super) fn error_value(e: &ErrorInfo) -> JsValue {
    js::mk_error(&e.message, e.code, e.status_code, e.href.as_deref())
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        error_value(&e.to_error_info())
    }
}

/// 40000-class caller errors (bad arguments), as ably-js reports them.
pub(super) fn invalid(code: u32, message: &str) -> JsValue {
    js::mk_error(message, code, 400, None)
}

// ---- promises ----

#[cfg(feature = "realtime")]
/// The two functions that settle one promise.
pub(super) struct Waiter {
    resolve: Function,
    reject: Function,
}

#[cfg(feature = "realtime")]
impl Waiter {
    pub(super) fn resolve(self, v: &JsValue) {
        let _ = self.resolve.call1(&JsValue::UNDEFINED, v);
    }
    pub(super) fn reject(self, e: &JsValue) {
        let _ = self.reject.call1(&JsValue::UNDEFINED, e);
    }
}

#[cfg(feature = "realtime")]
/// A new promise and its settling functions. The executor runs synchronously, so no Rust state
/// is borrowed while JS runs it.
pub(super) fn promise() -> (Promise, Waiter) {
    let mut slot = None;
    let p = Promise::new(&mut |resolve, reject| slot = Some(Waiter { resolve, reject }));
    (p, slot.expect("the Promise executor runs synchronously"))
}

#[cfg(feature = "realtime")]
pub(super) fn rejected(e: JsValue) -> Promise {
    Promise::reject(&e)
}

// ---- options (TO3) ----

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn opt_string(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).as_string()
}

fn opt_bool(obj: &JsValue, key: &str) -> Option<bool> {
    get(obj, key).as_bool()
}

fn opt_ms(obj: &JsValue, key: &str) -> Option<Duration> {
    get(obj, key)
        .as_f64()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| Duration::from_millis(v as u64))
}

/// Client options from a key/token string or an options object (RSC1, TO3). Names as in
/// ably-js: `key`, `token`, `endpoint` (or `host`), `port`, `tls`, `useBinaryProtocol`,
/// `clientId`, `echoMessages`, `idempotentRestPublishing`, `transportParams`, and the timeouts
/// `realtimeRequestTimeout`, `webSocketConnectTimeout`, `disconnectedRetryTimeout`,
/// `suspendedRetryTimeout`, `channelRetryTimeout`, `connectionStateTtl`, `httpRequestTimeout`
/// (ms), and `recover` (a recovery key, RTN16). The RNG is seeded from `crypto.getRandomValues`.
pub(super) fn client_options(v: &JsValue) -> Result<ClientOptions, JsValue> {
    let mut o = if let Some(s) = v.as_string() {
        ClientOptions::new(&s)
    } else if v.is_object() {
        match (opt_string(v, "key"), opt_string(v, "token")) {
            (Some(k), _) if k.contains(':') => ClientOptions::new(&k),
            (_, Some(t)) => {
                let mut o = ClientOptions::new(&t);
                o.auth = crate::Auth::Token(t); // even if the token contains ':'.
                o
            }
            _ => return Err(invalid(
                40106,
                "No authentication options provided: pass `key` (appId.keyId:secret) or `token`",
            )),
        }
    } else {
        return Err(invalid(40106, "Options must be a key string or an object"));
    };
    o.rng_seed = js::random_seed();
    if !v.is_object() {
        return Ok(o);
    }
    if let Some(e) = opt_string(v, "endpoint").or_else(|| opt_string(v, "host")) {
        o.endpoint = e;
    }
    if let Some(p) = get(v, "port").as_f64() {
        if !(1.0..=65535.0).contains(&p) || p.fract() != 0.0 {
            return Err(invalid(40000, "`port` must be an integer in 1..65535"));
        }
        o.port = Some(p as u16);
    }
    if let Some(t) = opt_bool(v, "tls") {
        o.tls = t;
    }
    if let Some(b) = opt_bool(v, "useBinaryProtocol") {
        o.format = if b { Format::MsgPack } else { Format::Json };
    }
    o.client_id = opt_string(v, "clientId");
    o.recover = opt_string(v, "recover");
    if let Some(e) = opt_bool(v, "echoMessages") {
        o.echo_messages = e;
    }
    if let Some(i) = opt_bool(v, "idempotentRestPublishing") {
        o.idempotent_rest_publishing = i;
    }
    let params = get(v, "transportParams");
    if let Some(obj) = params.dyn_ref::<js_sys::Object>() {
        for key in js_sys::Object::keys(obj).iter() {
            let value = Reflect::get(&params, &key).unwrap_or(JsValue::UNDEFINED);
            let text = value
                .as_string()
                // JS's own number text (as ably-js sends it), not core's float formatting.
                .or_else(|| {
                    value.as_f64()?;
                    let n: &js_sys::Number = value.unchecked_ref();
                    n.to_string_with_radix(10).ok().map(String::from)
                })
                .or_else(|| {
                    value
                        .as_bool()
                        .map(|b| (if b { "true" } else { "false" }).to_owned())
                });
            if let (Some(k), Some(text)) = (key.as_string(), text) {
                o.transport_params.push((k, text));
            }
        }
    }
    let t = &mut o.timeouts;
    let set = |d: &mut Duration, key| {
        if let Some(ms) = opt_ms(v, key) {
            *d = ms;
        }
    };
    set(&mut t.realtime_request, "realtimeRequestTimeout");
    set(&mut t.web_socket_connect, "webSocketConnectTimeout");
    set(&mut t.disconnected_retry, "disconnectedRetryTimeout");
    set(&mut t.suspended_retry, "suspendedRetryTimeout");
    set(&mut t.channel_retry, "channelRetryTimeout");
    set(&mut t.connection_state_ttl, "connectionStateTtl");
    set(&mut t.http_request, "httpRequestTimeout");
    Ok(o)
}

#[cfg(feature = "realtime")]
/// `autoConnect` (TO3e), default true as in ably-js.
pub(super) fn auto_connect(v: &JsValue) -> bool {
    v.as_string().is_some() || opt_bool(v, "autoConnect").unwrap_or(true)
}

// ---- messages in ----

/// A payload from JS (RSL4): string → text, ArrayBuffer/typed array → binary (copied once into
/// wasm memory), object/array → JSON; `undefined`/`null` → none; anything else is refused.
pub(super) fn data_from_js(v: &JsValue) -> Result<Data, JsValue> {
    if let Some(s) = v.as_string() {
        return Ok(Data::Text(s));
    }
    if v.is_undefined() || v.is_null() {
        return Ok(Data::None);
    }
    if let Some(bytes) = js::bytes_of(v) {
        return Ok(Data::Binary(bytes.to_vec()));
    }
    if v.is_object() {
        let text = js_sys::JSON::stringify(v)
            .map_err(|_| invalid(40013, "Message data is not JSON-serialisable"))?;
        return Ok(Data::Json(text.into()));
    }
    Err(invalid(
        40013,
        "Data type is unsupported: use a string, an ArrayBuffer or typed array, or an object or array",
    ))
}

#[wasm_bindgen]
extern "C" {
    /// An outbound message object. Its fields are read with static property accesses: no key
    /// string is built and passed per read, as `Reflect.get` would need.
    type OutboundMessage;
    #[wasm_bindgen(method, getter)]
    fn id(this: &OutboundMessage) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn name(this: &OutboundMessage) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn data(this: &OutboundMessage) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = clientId)]
    fn client_id(this: &OutboundMessage) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn extras(this: &OutboundMessage) -> JsValue;
}

/// One message object `{name?, data?, id?, clientId?, extras?}`.
fn message_from_js(v: &JsValue) -> Result<Message, JsValue> {
    if !v.is_object() {
        return Err(invalid(40013, "A message must be an object"));
    }
    let v: &OutboundMessage = v.unchecked_ref();
    let extras = v.extras();
    let extras = if extras.is_object() {
        let text: String = js_sys::JSON::stringify(&extras)
            .map_err(|_| invalid(40013, "`extras` is not JSON-serialisable"))?
            .into();
        crate::codec::decode(text.as_bytes(), crate::Format::Json).ok()
    } else {
        None
    };
    Ok(Message {
        id: v.id().as_string(),
        name: v.name().as_string(),
        data: data_from_js(&v.data())?,
        client_id: v.client_id().as_string(),
        extras,
        ..Default::default()
    })
}

/// `publish(name, data)`, `publish(message)` or `publish(messages[])` (RSL1a).
pub(super) fn messages_from_args(first: &JsValue, data: &JsValue) -> Result<Vec<Message>, JsValue> {
    if let Some(name) = first.as_string() {
        return Ok(vec![Message {
            name: Some(name),
            data: data_from_js(data)?,
            ..Default::default()
        }]);
    }
    if Array::is_array(first) {
        let arr: &Array = first.unchecked_ref();
        let mut out = Vec::with_capacity(arr.length() as usize);
        for m in arr.iter() {
            out.push(message_from_js(&m)?);
        }
        if out.is_empty() {
            return Err(invalid(40013, "No messages to publish"));
        }
        return Ok(out);
    }
    if first.is_undefined() || first.is_null() {
        return Ok(vec![Message {
            data: data_from_js(data)?,
            ..Default::default()
        }]);
    }
    Ok(vec![message_from_js(first)?])
}

// ---- messages out ----

#[cfg(feature = "rest")]
/// `{serials: (string|null)[]}` (ably-js `PublishResult`).
pub(super) fn publish_result(r: &PublishResult) -> JsValue {
    let serials: Array = r
        .serials
        .iter()
        .map(|s| s.as_deref().map_or(JsValue::NULL, JsValue::from_str))
        .collect();
    js::mk_publish_result(serials)
}

#[cfg(feature = "realtime")]
/// An optional error as JS (`undefined` when absent).
pub(super) fn reason_value(e: Option<&ErrorInfo>) -> JsValue {
    e.map_or(JsValue::UNDEFINED, error_value)
}

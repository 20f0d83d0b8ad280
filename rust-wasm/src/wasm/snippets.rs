//! The hand-written JS the shell calls into (`src/wasm/js/`): message listeners, publish promises
//! and message unpacking live on the JS side of the boundary, so a frame costs one crossing.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/js/subscriptions.js")]
extern "C" {
    /// State listeners (connection, channel), emitted to as ably-js's EventEmitter does.
    #[derive(Clone)]
    pub(super) type Emitter;
    #[wasm_bindgen(constructor)]
    pub(super) fn new() -> Emitter;
    #[wasm_bindgen(method)]
    pub(super) fn add(this: &Emitter, name: Option<&str>, callback: &Function);
    #[wasm_bindgen(method)]
    pub(super) fn remove(this: &Emitter, name_or_callback: &JsValue, callback: &JsValue);
    #[wasm_bindgen(method)]
    pub(super) fn emit(this: &Emitter, name: &str, value: &JsValue);

    /// A channel's message listeners and their dispatch loop.
    #[derive(Clone)]
    pub(super) type Subscriptions;
    #[wasm_bindgen(constructor)]
    pub(super) fn new() -> Subscriptions;
    #[wasm_bindgen(method)]
    pub(super) fn add(this: &Subscriptions, name: Option<&str>, callback: &Function);
    #[wasm_bindgen(method)]
    pub(super) fn remove(this: &Subscriptions, name_or_callback: &JsValue, callback: &JsValue);
    /// One frame's messages, packed by `batch.rs`.
    #[wasm_bindgen(method)]
    pub(super) fn deliver(this: &Subscriptions, text: &str, nums: &[f64], bytes: &[u8]);
    /// One JSON MESSAGE frame parsed in JS (`js/json_frames.js`).
    #[wasm_bindgen(method, js_name = deliverParsed)]
    pub(super) fn deliver_parsed(this: &Subscriptions, frame: &ParsedFrame);
}

#[wasm_bindgen(module = "/src/wasm/js/json_frames.js")]
extern "C" {
    /// A JSON MESSAGE frame parsed by `JSON.parse`.
    pub(super) type ParsedFrame;
    /// The parsed frame if `data` is a JSON MESSAGE frame JS can deliver itself.
    #[wasm_bindgen(js_name = messageFrame)]
    pub(super) fn message_frame(data: &JsValue) -> Option<ParsedFrame>;
    #[wasm_bindgen(method, getter)]
    pub(super) fn channel(this: &ParsedFrame) -> String;
    #[wasm_bindgen(method, getter, js_name = channelSerial)]
    pub(super) fn channel_serial(this: &ParsedFrame) -> Option<String>;
}

#[wasm_bindgen(module = "/src/wasm/js/publishes.js")]
extern "C" {
    /// Publish promises by publish id.
    #[derive(Clone)]
    pub(super) type Publishes;
    #[wasm_bindgen(constructor)]
    pub(super) fn new() -> Publishes;
    #[wasm_bindgen(method)]
    pub(super) fn wait(this: &Publishes, id: f64) -> Promise;
    /// A run of ACKed publishes, packed by `batch.rs`.
    #[wasm_bindgen(method)]
    pub(super) fn acked(this: &Publishes, text: &str, nums: &[f64]);
    #[wasm_bindgen(method)]
    pub(super) fn failed(this: &Publishes, id: f64, error: &JsValue);
}

#[wasm_bindgen(module = "/src/wasm/js/messages.js")]
extern "C" {
    /// Message objects from a batch packed by `batch.rs` (REST history pages).
    #[wasm_bindgen(js_name = unpackMessages)]
    pub(super) fn unpack_messages(text: &str, nums: &[f64], bytes: &[u8]) -> Array;
}

//! The hand-written JS the shell calls into (`src/wasm/js/`): message listeners, publish promises
//! and message unpacking live on the JS side of the boundary, so a frame costs one crossing.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/js/subscriptions.js")]
extern "C" {
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

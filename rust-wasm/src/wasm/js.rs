//! JS globals (reached without `window`, so a dedicated worker works) and a little
//! JS glue that builds objects in one boundary crossing instead of one `Reflect.set` per field.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

#[cfg(feature = "realtime")]
use crate::Instant;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub(super) fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub(super) fn clear_timeout(handle: &JsValue);
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]);
    #[wasm_bindgen(js_name = fetch)]
    pub(super) fn fetch(url: &str, init: &web_sys::RequestInit) -> Promise;
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    pub(super) fn console_warn(text: &str);
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    pub(super) fn console_error(text: &str, err: &JsValue);
}

#[cfg(feature = "realtime")]
/// `now` for the core: `performance.now()` in whole milliseconds.
pub(super) fn now() -> Instant {
    Instant::from_millis(performance_now().max(0.0) as u64)
}

/// A seed for the core's RNG (retry jitter, idempotent ids) from `crypto.getRandomValues`.
pub(super) fn random_seed() -> u64 {
    let mut b = [0u8; 8];
    get_random_values(&mut b);
    u64::from_le_bytes(b)
}

#[wasm_bindgen(inline_js = r#"
export class ErrorInfo extends Error {
  constructor(message, code, statusCode, href) {
    super(message);
    this.name = 'ErrorInfo';
    this.code = code;
    this.statusCode = statusCode;
    if (href) this.href = href;
  }
}
export function mkError(message, code, statusCode, href) {
  return new ErrorInfo(message, code, statusCode, href);
}
export function mkConnectionChange(previous, current, reason, retryIn) {
  return { previous, current, event: previous === current ? 'update' : current, reason, retryIn };
}
export function mkChannelChange(previous, current, reason, resumed) {
  return { previous, current, event: previous === current ? 'update' : current, reason, resumed };
}
export function mkPublishResult(serials) {
  return { serials };
}
// Bytes of an ArrayBuffer or any ArrayBuffer view, as a Uint8Array (no copy); else undefined.
export function bytesOf(v) {
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = mkError)]
    pub(super) fn mk_error(
        message: &str,
        code: u32,
        status_code: u16,
        href: Option<&str>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = mkConnectionChange)]
    pub(super) fn mk_connection_change(
        previous: &str,
        current: &str,
        reason: JsValue,
        retry_in: Option<f64>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = mkChannelChange)]
    pub(super) fn mk_channel_change(
        previous: &str,
        current: &str,
        reason: JsValue,
        resumed: bool,
    ) -> JsValue;
    #[wasm_bindgen(js_name = mkPublishResult)]
    pub(super) fn mk_publish_result(serials: js_sys::Array) -> JsValue;
    #[wasm_bindgen(js_name = bytesOf)]
    pub(super) fn bytes_of(v: &JsValue) -> Option<js_sys::Uint8Array>;
}

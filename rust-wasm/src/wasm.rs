//! The JavaScript-facing shell (wasm32 only).
// `#[wasm_bindgen]` exports are reached from JS, not from Rust: `unreachable_pub` cannot see that.
#![allow(unreachable_pub)]

use wasm_bindgen::prelude::*;

use crate::{decode, encode, Format, ProtocolMessage};

/// The SDK version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Decodes a JSON protocol message, re-encodes it as msgpack, decodes that and returns the
/// resulting JSON: proof that both codecs run inside the wasm module.
#[wasm_bindgen(js_name = codecRoundTrip)]
pub fn codec_round_trip(json: &str) -> Result<String, JsError> {
    let msg: ProtocolMessage = decode(json.as_bytes(), Format::Json)?;
    let packed = encode(&msg, Format::MsgPack);
    let back: ProtocolMessage = decode(&packed, Format::MsgPack)?;
    Ok(String::from_utf8(encode(&back, Format::Json)).expect("JSON is UTF-8"))
}

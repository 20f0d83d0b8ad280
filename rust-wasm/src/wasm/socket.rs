//! A WebSocket that owns its listener closures (gloo `net/websocket/futures.rs`): dropping it
//! detaches every listener and closes the socket, so a closed transport never reports again and
//! nothing leaks per connection (no `Closure::forget`).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, MessageEvent, WebSocket};

pub(super) struct Socket {
    ws: WebSocket,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_closed: Closure<dyn FnMut(JsValue)>,
}

impl Socket {
    /// Opens `url` with `binaryType = "arraybuffer"`. `on_closed` runs for `close` and `error`
    /// (possibly both; the driver ignores the second).
    pub(super) fn open(
        url: &str,
        on_message: impl FnMut(MessageEvent) + 'static,
        on_closed: impl FnMut(JsValue) + 'static,
    ) -> Result<Socket, JsValue> {
        let ws = WebSocket::new(url)?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(on_message);
        let on_closed = Closure::<dyn FnMut(JsValue)>::new(on_closed);
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_closed.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_closed.as_ref().unchecked_ref()));
        Ok(Socket {
            ws,
            _on_message: on_message,
            _on_closed: on_closed,
        })
    }

    /// Sends a text frame (JSON).
    pub(super) fn send_text(&self, text: &str) {
        let _ = self.ws.send_with_str(text);
    }

    /// Sends a binary frame (msgpack), copied out of wasm memory by the browser.
    pub(super) fn send_binary(&self, bytes: &[u8]) {
        let _ = self.ws.send_with_u8_array(bytes);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        self.ws.set_onerror(None);
        let _ = self.ws.close();
    }
}

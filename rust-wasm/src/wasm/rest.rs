//! `RestClient`: the core builds [`Request`] values, this file performs them with the global
//! `fetch` (worker-safe) and hands the answer to the core's `parse_*` functions.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortSignal, Headers, RequestInit};

use super::batch::Batch;
use super::convert::{self, error_value, invalid, messages_from_args, publish_result};
use super::js;
use super::snippets::unpack_messages;
use crate::rest::{self, Direction, HistoryParams, Page, Request, Response, Rest};
use crate::{Error, ErrorInfo};

/// A REST client (RSC1). Stateless apart from its options; requests run concurrently.
#[wasm_bindgen]
pub struct RestClient {
    rest: Rc<RefCell<Rest>>,
}

/// What `fetch` returned, owned, for the core's `Response` view.
struct Fetched {
    status: u16,
    content_type: Option<String>,
    link: Option<String>,
    error_code: Option<String>,
    error_message: Option<String>,
    body: Vec<u8>,
}

impl Fetched {
    fn response(&self) -> Response<'_> {
        Response {
            status: self.status,
            content_type: self.content_type.as_deref(),
            link: self.link.as_deref(),
            error_code: self.error_code.as_deref(),
            error_message: self.error_message.as_deref(),
            body: &self.body,
        }
    }
}

fn js_failure(what: &str, e: &JsValue) -> ErrorInfo {
    let name = Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    if matches!(name.as_deref(), Some("TimeoutError" | "AbortError")) {
        return ErrorInfo::http_timeout(what);
        // TO3l4
    }
    let detail = Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    ErrorInfo::http_failed(what, &detail)
}

/// Performs one request with `fetch`, bounded by `httpRequestTimeout`.
async fn perform(req: &Request, timeout_ms: u32) -> Result<Fetched, ErrorInfo> {
    let fail = |e: JsValue| js_failure("REST request", &e);
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    let headers = Headers::new().map_err(fail)?;
    for (k, v) in &req.headers {
        headers.set(k, v).map_err(fail)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &req.body {
        init.set_body(&Uint8Array::from(&body[..])); // One copy out of wasm memory.
    }
    init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
    let resp: web_sys::Response = JsFuture::from(js::fetch(&req.url, &init))
        .await
        .map_err(fail)?
        .unchecked_into();
    let h = resp.headers();
    let header = |name: &str| h.get(name).ok().flatten();
    let buf = JsFuture::from(resp.array_buffer().map_err(fail)?)
        .await
        .map_err(fail)?;
    Ok(Fetched {
        status: resp.status(),
        content_type: header("content-type"),
        link: header("link"),
        error_code: header("x-ably-errorcode"),
        error_message: header("x-ably-errormessage"),
        body: Uint8Array::new(&buf).to_vec(), // One copy into wasm memory; decoded there.
    })
}

fn timeout_ms(rest: &Rest) -> u32 {
    rest.options()
        .timeouts
        .http_request
        .as_millis()
        .min(u32::MAX as u128) as u32
}

fn to_js(e: Error) -> JsValue {
    error_value(&e.to_error_info())
}

#[wasm_bindgen]
impl RestClient {
    /// `new RestClient(keyOrOptions)` (RSC1).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<RestClient, JsValue> {
        let opts = convert::client_options(&options)?;
        Ok(RestClient {
            rest: Rc::new(RefCell::new(Rest::new(opts))),
        })
    }

    /// `channels.get(name)`.
    pub fn channel(&self, name: &str) -> RestChannel {
        RestChannel {
            rest: self.rest.clone(),
            name: name.to_owned(),
        }
    }

    /// `time()` (RSC16): the server's time, ms since the epoch.
    #[wasm_bindgen(unchecked_return_type = "Promise<number>")]
    pub fn time(&self) -> Promise {
        let (req, t) = {
            let r = self.rest.borrow();
            (r.time(), timeout_ms(&r))
        };
        future_to_promise(async move {
            let f = perform(&req, t).await.map_err(|e| error_value(&e))?;
            let ms = rest::parse_time(&f.response()).map_err(to_js)?;
            Ok(JsValue::from_f64(ms as f64))
        })
    }
}

/// A REST channel handle (RSL).
#[wasm_bindgen]
pub struct RestChannel {
    rest: Rc<RefCell<Rest>>,
    name: String,
}

fn history_params(v: &JsValue) -> Result<HistoryParams, JsValue> {
    let mut p = HistoryParams::default();
    if !v.is_object() {
        return Ok(p);
    }
    let num = |k: &str| Reflect::get(v, &k.into()).ok().and_then(|x| x.as_f64());
    p.start = num("start").map(|x| x as i64);
    p.end = num("end").map(|x| x as i64);
    p.limit = num("limit").map(|x| x.max(0.0) as u32);
    p.direction = match Reflect::get(v, &"direction".into())
        .ok()
        .and_then(|d| d.as_string())
        .as_deref()
    {
        None => None,
        Some("backwards") => Some(Direction::Backwards),
        Some("forwards") => Some(Direction::Forwards),
        Some(_) => {
            return Err(invalid(
                40003,
                "`direction` must be 'backwards' or 'forwards'",
            ))
        }
    };
    Ok(p)
}

async fn fetch_page(
    rest: Rc<RefCell<Rest>>,
    channel: String,
    req: Request,
    t: u32,
) -> Result<JsValue, JsValue> {
    let f = perform(&req, t).await.map_err(|e| error_value(&e))?;
    let Page { items, next } = rest::parse_history(&f.response(), req.format).map_err(to_js)?;
    let mut batch = Batch::default();
    batch.pack_messages(&items);
    let items = unpack_messages(&batch.text, &batch.nums, &batch.bytes);
    Ok(PaginatedResult {
        items,
        next,
        rest,
        channel,
    }
    .into())
}

#[wasm_bindgen]
impl RestChannel {
    /// The channel name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// `publish(name, data)`, `publish(message)` or `publish(messages[])` (RSL1): one POST;
    /// idempotent ids `<base>:<index>` are added (RSL1k). Resolves with `{serials}`.
    #[wasm_bindgen(skip_typescript)]
    pub fn publish(&self, name_or_messages: JsValue, data: JsValue) -> Promise {
        let messages = match messages_from_args(&name_or_messages, &data) {
            Ok(m) => m,
            Err(e) => return Promise::reject(&e),
        };
        let built = {
            let mut r = self.rest.borrow_mut();
            let t = timeout_ms(&r);
            r.publish(&self.name, messages).map(|req| (req, t))
        };
        let (req, t) = match built {
            Ok(x) => x,
            Err(e) => return Promise::reject(&to_js(e)),
        };
        future_to_promise(async move {
            let f = perform(&req, t).await.map_err(|e| error_value(&e))?;
            let r = rest::parse_publish(&f.response(), req.format).map_err(to_js)?;
            Ok(publish_result(&r))
        })
    }

    /// `history({start?, end?, direction?, limit?})` (RSL2): the first page.
    #[wasm_bindgen(skip_typescript)]
    pub fn history(&self, params: JsValue) -> Promise {
        let built = history_params(&params).and_then(|p| {
            let r = self.rest.borrow();
            r.history(&self.name, &p)
                .map(|req| (req, timeout_ms(&r)))
                .map_err(to_js)
        });
        let (req, t) = match built {
            Ok(x) => x,
            Err(e) => return Promise::reject(&e),
        };
        future_to_promise(fetch_page(self.rest.clone(), self.name.clone(), req, t))
    }
}

/// A page of history (TG): `items`, `hasNext()`, `isLast()`, `next()`.
#[wasm_bindgen]
pub struct PaginatedResult {
    items: Array,
    next: Option<String>,
    rest: Rc<RefCell<Rest>>,
    channel: String,
}

#[wasm_bindgen]
impl PaginatedResult {
    /// The messages of this page (TG3).
    #[wasm_bindgen(getter, unchecked_return_type = "InboundMessage[]")]
    pub fn items(&self) -> Array {
        self.items.clone()
    }

    /// Whether there is a next page (TG6).
    #[wasm_bindgen(js_name = hasNext)]
    pub fn has_next(&self) -> bool {
        self.next.is_some()
    }

    /// Whether this is the last page (TG7).
    #[wasm_bindgen(js_name = isLast)]
    pub fn is_last(&self) -> bool {
        self.next.is_none()
    }

    /// The next page, or `null` on the last page (TG4).
    #[wasm_bindgen(unchecked_return_type = "Promise<PaginatedResult | null>")]
    pub fn next(&self) -> Promise {
        let Some(next) = &self.next else {
            return Promise::resolve(&JsValue::NULL);
        };
        let (req, t) = {
            let r = self.rest.borrow();
            (r.history_next(&self.channel, next), timeout_ms(&r))
        };
        future_to_promise(fetch_page(self.rest.clone(), self.channel.clone(), req, t))
    }
}

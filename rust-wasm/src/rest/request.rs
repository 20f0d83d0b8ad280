//! REST requests as values (RSC7, RSL1, RSL2, RSC16): the driver performs them with `fetch`.

use crate::codec::{encode_into, Encode, Format};
use crate::error::Error;
use crate::options::{Auth, ClientOptions};
use crate::protocol::{ErrorInfo, Message};
use crate::util::{base64, decimal::decimal, percent};

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
}

impl Method {
    /// `"GET"` / `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One HTTP request to perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Absolute URL, query included.
    pub url: String,
    /// Headers, lower-case names.
    pub headers: Vec<(&'static str, String)>,
    /// Body for POST, in the request's format.
    pub body: Option<Vec<u8>>,
    /// The format to decode a 2xx body with when the response has no usable content type.
    pub format: Format,
}

/// History direction (RSL2b2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Newest first (default).
    #[default]
    Backwards,
    /// Oldest first.
    Forwards,
}

/// History query (RSL2b).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryParams {
    /// Earliest time, ms since the epoch (RSL2b1).
    pub start: Option<i64>,
    /// Latest time, ms since the epoch (RSL2b1).
    pub end: Option<i64>,
    /// Order (RSL2b2).
    pub direction: Option<Direction>,
    /// Page size, at most 1000 (RSL2b3).
    pub limit: Option<u32>,
}

/// Largest history `limit` (RSL2b3).
pub const MAX_HISTORY_LIMIT: u32 = 1000;

/// `n` in decimal, with a sign when negative.
fn signed(n: i64) -> String {
    let d = decimal(n.unsigned_abs());
    if n < 0 {
        ["-", &d].concat()
    } else {
        d
    }
}

fn push_query(url: &mut String, k: &str, v: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    percent::encode_into(k, url);
    url.push('=');
    percent::encode_into(v, url);
}

/// `/channels/{encodeURIComponent(name)}` (RSL1).
pub(crate) fn channel_path(name: &str) -> String {
    let mut p = String::from("/channels/");
    percent::encode_into(name, &mut p);
    p
}

/// Builds requests for one client's options.
pub(crate) struct Builder<'a> {
    pub(crate) options: &'a ClientOptions,
}

impl Builder<'_> {
    /// Common headers (RSC7, RSA7e2): accept, version, agent, auth, client id.
    fn headers(&self, format: Format, auth: bool) -> Vec<(&'static str, String)> {
        let o = self.options;
        let mut h = vec![
            ("accept", format.mime().to_owned()),
            (
                "x-ably-version",
                crate::protocol::PROTOCOL_VERSION.to_owned(),
            ),
            ("ably-agent", o.agent.clone()),
        ];
        if auth {
            h.push(("authorization", authorization(&o.auth)));
        }
        if let Some(id) = &o.client_id {
            h.push(("x-ably-clientid", base64::encode(id.as_bytes()))); // RSA7e2
        }
        h
    }

    pub(crate) fn get(&self, path_and_query: &str) -> Request {
        let format = self.options.format;
        Request {
            method: Method::Get,
            url: self.options.rest_base() + path_and_query,
            headers: self.headers(format, true),
            body: None,
            format,
        }
    }

    pub(crate) fn post<T: Encode + ?Sized>(&self, path: &str, body: &T) -> Result<Request, Error> {
        let format = self.options.format;
        let mut bytes = Vec::new();
        encode_into(body, format, &mut bytes);
        let mut headers = self.headers(format, true);
        headers.push(("content-type", format.mime().to_owned()));
        Ok(Request {
            method: Method::Post,
            url: self.options.rest_base() + path,
            headers,
            body: Some(bytes),
            format,
        })
    }

    /// `GET /time`: no auth, always JSON (RSC16).
    pub(crate) fn time(&self) -> Request {
        Request {
            method: Method::Get,
            url: self.options.rest_base() + "/time",
            headers: self.headers(Format::Json, false),
            body: None,
            format: Format::Json,
        }
    }

    /// `GET /channels/{name}/messages?…` (RSL2).
    pub(crate) fn history(&self, channel: &str, p: &HistoryParams) -> Result<Request, Error> {
        let mut url = channel_path(channel) + "/messages";
        if let Some(s) = p.start {
            push_query(&mut url, "start", &signed(s));
        }
        if let Some(e) = p.end {
            push_query(&mut url, "end", &signed(e));
        }
        if let Some(d) = p.direction {
            push_query(
                &mut url,
                "direction",
                if d == Direction::Forwards {
                    "forwards"
                } else {
                    "backwards"
                },
            );
        }
        if let Some(l) = p.limit {
            if l > MAX_HISTORY_LIMIT {
                return Err(Error::User(ErrorInfo::history_limit()));
            }
            push_query(&mut url, "limit", &decimal(u64::from(l)));
        }
        Ok(self.get(&url))
    }

    /// `POST /channels/{name}/messages` (RSL1): always an array.
    pub(crate) fn publish(&self, channel: &str, messages: &[Message]) -> Result<Request, Error> {
        self.post(&(channel_path(channel) + "/messages"), messages)
    }
}

/// `Basic base64(key)` (RSA11) or `Bearer base64(token)` (RSA3b).
pub(crate) fn authorization(auth: &Auth) -> String {
    match auth {
        Auth::Key(k) => "Basic ".to_owned() + &base64::encode(k.as_bytes()),
        Auth::Token(t) => "Bearer ".to_owned() + &base64::encode(t.as_bytes()),
    }
}

//! REST response parsing (RSC7, RSL1, RSL2, RSC16): bytes and headers in, values out.

use crate::codec::{decode_with, Decode, DecodeError, Format, Limits, Read, Reader};
use crate::error::Error;
use crate::protocol::{ErrorInfo, Message, PublishResult};
use crate::util::decimal::decimal;

/// What the driver got back. Header values as received (`None` if absent).
#[derive(Clone, Copy, Debug, Default)]
pub struct Response<'a> {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// `Link` (several lines joined with `, `).
    pub link: Option<&'a str>,
    /// `X-Ably-ErrorCode`.
    pub error_code: Option<&'a str>,
    /// `X-Ably-ErrorMessage`.
    pub error_message: Option<&'a str>,
    /// Body bytes.
    pub body: &'a [u8],
}

/// A page of history (TG1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Items, payloads decoded (RSL2, TG3).
    pub items: Vec<Message>,
    /// Path and query of the next page, from `Link: <./messages?…>; rel="next"` (TG4, TG6).
    pub next: Option<String>,
}

/// REST bodies may be larger than realtime frames (1000-message history pages).
const BODY_LIMITS: Limits = Limits {
    max_frame_size: 64 << 20,
    max_depth: 64,
};

fn body_format(resp: &Response<'_>, fallback: Format) -> Format {
    match resp.content_type {
        Some(ct) if ct.contains("msgpack") => Format::MsgPack,
        Some(ct) if ct.contains("json") => Format::Json,
        _ => fallback,
    }
}

/// The error of a non-2xx response (RSC7, RSC19e): the body's `{"error":{…}}`, else the
/// `X-Ably-Error*` headers, else one made from the status.
pub fn parse_error(resp: &Response<'_>, format: Format) -> ErrorInfo {
    if let Ok(Envelope(mut error)) = decode_with(resp.body, body_format(resp, format), &BODY_LIMITS)
    {
        if error.status_code == 0 {
            error.status_code = resp.status;
        }
        return error;
    }
    let code = resp.error_code.and_then(|c| c.trim().parse().ok());
    let message = resp.error_message.map_or_else(
        || ["HTTP error ", &decimal(u64::from(resp.status))].concat(),
        str::to_owned,
    );
    ErrorInfo::from_http_status(resp.status, code, message)
}

/// `{"error": {…}}`.
struct Envelope(ErrorInfo);

impl Decode for Envelope {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut error = None;
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "error" => error = Some(ErrorInfo::decode(r)?),
                _ => r.skip()?,
            }
        }
        error
            .map(Envelope)
            .ok_or(DecodeError::malformed("no error in the body"))
    }
}

fn check(resp: &Response<'_>, format: Format) -> Result<(), Error> {
    if (200..300).contains(&resp.status) {
        Ok(())
    } else {
        Err(Error::Server(parse_error(resp, format)))
    }
}

fn decode_body<T: Decode>(resp: &Response<'_>, format: Format) -> Result<T, Error> {
    Ok(decode_with(
        resp.body,
        body_format(resp, format),
        &BODY_LIMITS,
    )?)
}

/// Publish response (RSL1): `201 {channel, messageId, serials}`; an empty 2xx is accepted.
pub fn parse_publish(resp: &Response<'_>, format: Format) -> Result<PublishResult, Error> {
    check(resp, format)?;
    if resp.body.is_empty() || resp.status == 204 {
        return Ok(PublishResult::default());
    }
    decode_body(resp, format)
}

/// History page (RSL2, TG4): an array of messages, `next` from the Link header.
pub fn parse_history(resp: &Response<'_>, format: Format) -> Result<Page, Error> {
    check(resp, format)?;
    let items = if resp.body.is_empty() || resp.status == 204 {
        Vec::new()
    } else {
        decode_body(resp, format)?
    };
    let next = resp.link.and_then(|l| super::link::find(l, "next"));
    Ok(Page { items, next })
}

/// `GET /time` (RSC16): `[ms]`.
pub fn parse_time(resp: &Response<'_>) -> Result<i64, Error> {
    check(resp, Format::Json)?;
    let v: Vec<i64> = decode_body(resp, Format::Json)?;
    v.first()
        .copied()
        .ok_or(Error::Protocol("empty /time response"))
}

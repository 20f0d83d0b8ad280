//! Message payloads and their `encoding` chains (RSL4, RSL6, TM3).
//!
//! In memory a payload is always *decoded* ([`Data`]); the wire form is produced on encode and
//! undone on decode:
//!
//! | data        | JSON transport                 | msgpack transport       |
//! |-------------|--------------------------------|-------------------------|
//! | text        | string                         | `str`                   |
//! | JSON        | string, encoding `json`        | `str`, encoding `json`  |
//! | binary      | base64 string, `…/base64`      | `bin`                   |
//!
//! Decoding undoes `base64`, `utf-8` and `json` right to left (RSL6a); any other step (e.g.
//! `cipher+…`, `vcdiff`) stops decoding and stays in the message's residual `encoding`.

use std::borrow::Cow;

use crate::codec::{json, DecodeError, Format, Value};
use crate::protocol::ErrorInfo;
use crate::util::base64;

/// A decoded message payload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Data {
    /// No `data` field.
    #[default]
    None,
    /// A string.
    Text(String),
    /// Bytes (`ArrayBuffer`/`Uint8Array` in JS).
    Binary(Vec<u8>),
    /// A JSON value (object, array, ...) kept as validated JSON text: parsing into a tree is left
    /// to the consumer (JS `JSON.parse`, or [`Data::parse_json`]), which is cheaper than a
    /// round trip through a Rust tree.
    Json(String),
}

impl Data {
    /// Whether there is no payload.
    pub fn is_none(&self) -> bool {
        matches!(self, Data::None)
    }

    /// A JSON payload holding `value`.
    pub fn json(value: &Value) -> Data {
        Data::Json(value.to_json())
    }

    /// Parses a [`Data::Json`] payload; `None` for other kinds.
    pub fn parse_json(&self) -> Option<Result<Value, DecodeError>> {
        match self {
            Data::Json(text) => Some(crate::codec::decode(text.as_bytes(), Format::Json)),
            _ => None,
        }
    }

    /// Payload size for the message-size limit (RSL1i, TO3l8): bytes of text or binary.
    pub fn size(&self) -> usize {
        match self {
            Data::None => 0,
            Data::Text(s) | Data::Json(s) => s.len(),
            Data::Binary(b) => b.len(),
        }
    }
}

impl From<&str> for Data {
    fn from(s: &str) -> Data {
        Data::Text(s.to_owned())
    }
}

impl From<String> for Data {
    fn from(s: String) -> Data {
        Data::Text(s)
    }
}

impl From<Vec<u8>> for Data {
    fn from(b: Vec<u8>) -> Data {
        Data::Binary(b)
    }
}

/// The wire form of a payload, ready to serialise, plus the encoding to send with it.
pub(crate) enum WireData<'a> {
    None,
    Str(&'a str),
    Bytes(&'a [u8]),
    Owned(String),
}

impl WireData<'_> {
    pub(crate) fn is_none(&self) -> bool {
        matches!(self, WireData::None)
    }
}

fn join<'a>(residual: Option<&'a str>, step: &str) -> Cow<'a, str> {
    match residual {
        Some(r) if !r.is_empty() => Cow::Owned([r, "/", step].concat()),
        _ => Cow::Owned(step.to_owned()),
    }
}

/// Encodes `data` for the wire (RSL4): `text` says whether the transport is JSON.
pub(crate) fn to_wire<'a>(
    data: &'a Data,
    encoding: Option<&'a str>,
    text: bool,
) -> (WireData<'a>, Option<Cow<'a, str>>) {
    let residual = encoding.map(Cow::Borrowed);
    match data {
        Data::None => (WireData::None, residual),
        Data::Text(s) => (WireData::Str(s), residual),
        Data::Json(s) => (WireData::Str(s), Some(join(encoding, "json"))), // RSL4c3
        Data::Binary(b) if text => {
            (
                WireData::Owned(base64::encode(b)),
                Some(join(encoding, "base64")),
            ) // RSL4d2
        }
        Data::Binary(b) => (WireData::Bytes(b), residual), // RSL4c2: msgpack `bin`
    }
}

/// Undoes the wire encoding chain right to left (RSL6a). On an unknown step or a malformed
/// payload decoding stops; the steps left stay in the returned encoding (RSL6b), and a
/// malformed payload yields a 40013 error.
pub(crate) fn from_wire(
    mut data: Data,
    encoding: Option<String>,
) -> (Data, Option<String>, Option<ErrorInfo>) {
    let Some(mut encoding) = encoding else {
        return (data, None, None);
    };
    let mut error = None;
    while !encoding.is_empty() {
        let (rest, step) = match encoding.rfind('/') {
            Some(i) => (&encoding[..i], &encoding[i + 1..]),
            None => ("", encoding.as_str()),
        };
        let next = match (step, data) {
            ("base64", Data::Text(s)) => base64::decode(&s).map(Data::Binary).ok_or(Data::Text(s)),
            ("base64", d @ Data::Binary(_)) => Ok(d),
            ("utf-8", Data::Binary(b)) => String::from_utf8(b)
                .map(Data::Text)
                .map_err(|e| Data::Binary(e.into_bytes())),
            ("utf-8", d @ Data::Text(_)) => Ok(d),
            ("json", Data::Text(s)) if json::is_valid(&s) => Ok(Data::Json(s)),
            ("json", d @ Data::Text(_)) => Err(d),
            ("json", Data::Binary(b)) => match String::from_utf8(b) {
                Ok(s) if json::is_valid(&s) => Ok(Data::Json(s)),
                Ok(s) => Err(Data::Binary(s.into_bytes())),
                Err(e) => Err(Data::Binary(e.into_bytes())),
            },
            (_, d) => {
                // Unknown step (cipher, vcdiff) or an impossible pairing: stop here.
                data = d;
                break;
            }
        };
        match next {
            Ok(d) => data = d,
            Err(d) => {
                data = d;
                error = Some(ErrorInfo::undecodable_data(step));
                break;
            }
        }
        let keep = rest.len();
        encoding.truncate(keep);
    }
    let encoding = (!encoding.is_empty()).then_some(encoding);
    (data, encoding, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(data: Data, enc: &str) -> (Data, Option<String>, Option<ErrorInfo>) {
        from_wire(data, Some(enc.to_owned()))
    }

    #[test]
    fn rsl6a_decodes_right_to_left() {
        let (d, e, err) = dec(Data::Text("AQID".into()), "base64");
        assert_eq!((d, e, err), (Data::Binary(vec![1, 2, 3]), None, None));
        // "héllo" as UTF-8 bytes, base64'd on a JSON transport.
        let (d, e, _) = dec(Data::Text("aMOpbGxv".into()), "utf-8/base64");
        assert_eq!((d, e), (Data::Text("héllo".into()), None));
        let (d, e, _) = dec(Data::Text(r#"{"a":1}"#.into()), "json");
        assert_eq!((d, e), (Data::Json(r#"{"a":1}"#.into()), None));
        let (d, e, _) = dec(Data::Text("eyJhIjoxfQ==".into()), "json/utf-8/base64");
        assert_eq!((d, e), (Data::Json(r#"{"a":1}"#.into()), None));
    }

    #[test]
    fn rsl6b_unknown_step_stays_in_encoding() {
        let (d, e, err) = dec(Data::Text("AQID".into()), "cipher+aes-128-cbc/base64");
        assert_eq!(d, Data::Binary(vec![1, 2, 3]));
        assert_eq!(e.as_deref(), Some("cipher+aes-128-cbc"));
        assert!(err.is_none());
    }

    #[test]
    fn malformed_payload_is_40013_and_keeps_encoding() {
        let (d, e, err) = dec(Data::Text("{not json".into()), "json");
        assert_eq!(d, Data::Text("{not json".into()));
        assert_eq!(e.as_deref(), Some("json"));
        assert_eq!(err.unwrap().code, 40013);
        let (_, e, err) = dec(Data::Text("@@".into()), "base64");
        assert_eq!(
            (e.as_deref(), err.map(|e| e.code)),
            (Some("base64"), Some(40013))
        );
    }

    #[test]
    fn rsl4_wire_forms() {
        let bin = Data::Binary(vec![1, 2, 3]);
        let (w, e) = to_wire(&bin, None, true);
        assert!(matches!(w, WireData::Owned(ref s) if s == "AQID"));
        assert_eq!(e.as_deref(), Some("base64"));
        let (w, e) = to_wire(&bin, None, false);
        assert!(matches!(w, WireData::Bytes(_)) && e.is_none());
        let json = Data::Json("[1]".into());
        assert_eq!(
            to_wire(&json, Some("x"), false).1.as_deref(),
            Some("x/json")
        );
    }
}

//! Frame codecs: JSON and msgpack, two impls of one pair of functions (style §1.5).
//!
//! Decoding never panics, checks the frame size limit before touching the bytes, bounds nesting
//! depth, and rejects trailing bytes. Encoding appends to a caller-owned buffer so the driver can
//! reuse one allocation for every frame.

mod json;
mod msgpack;

use serde::{de::DeserializeOwned, Serialize};

use crate::protocol::ErrorInfo;

/// A wire format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// Text frames, `format=json`.
    Json,
    /// Binary frames, `format=msgpack` (ably-js `useBinaryProtocol`).
    #[default]
    MsgPack,
}

impl Format {
    /// The `format=` query value (§2.1).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::MsgPack => "msgpack",
        }
    }

    /// The `Accept`/`Content-Type` MIME type (§8.1).
    pub fn mime(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::MsgPack => "application/x-msgpack",
        }
    }

    /// Whether frames are text (JSON) rather than binary.
    pub fn is_text(self) -> bool {
        self == Format::Json
    }
}

/// Decoder limits, checked before allocating (style §1.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted frame or body, in bytes.
    pub max_frame_size: usize,
    /// Deepest accepted nesting (extras, JSON data); bounds stack use in wasm.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // TO3l9 default maxFrameSize is 512 KiB; allow headroom for history pages.
        Limits {
            max_frame_size: 1 << 20,
            max_depth: 64,
        }
    }
}

/// Why bytes could not be decoded. Carries a static kind and the decoder's detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// What went wrong.
    pub kind: DecodeErrorKind,
    /// Detail from the underlying decoder.
    pub detail: String,
}

/// Class of decode failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// Larger than [`Limits::max_frame_size`].
    TooLarge,
    /// Not well-formed JSON/msgpack, or not the expected shape.
    Malformed,
    /// Bytes left after one complete value.
    TrailingBytes,
    /// Nesting deeper than [`Limits::max_depth`].
    TooDeep,
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, detail: impl Into<String>) -> Self {
        DecodeError {
            kind,
            detail: detail.into(),
        }
    }

    /// The Ably error for a frame the peer sent that we cannot read (40000 bad request).
    pub fn to_error_info(&self) -> ErrorInfo {
        ErrorInfo::undecodable(self.to_string())
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            DecodeErrorKind::TooLarge => "frame too large",
            DecodeErrorKind::Malformed => "malformed frame",
            DecodeErrorKind::TrailingBytes => "trailing bytes after frame",
            DecodeErrorKind::TooDeep => "nesting too deep",
        };
        write!(f, "cannot decode: {what}: {}", self.detail)
    }
}

impl std::error::Error for DecodeError {}

/// Appends `value` encoded in `format` to `out`.
///
/// Our types always serialise; an error here means a caller-supplied value (e.g. extras) could
/// not be represented, and `out` is restored to its old length.
pub fn encode_into<T: Serialize + ?Sized>(
    value: &T,
    format: Format,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let start = out.len();
    let r = match format {
        Format::Json => json::encode(value, out),
        Format::MsgPack => msgpack::encode(value, out),
    };
    if r.is_err() {
        out.truncate(start);
    }
    r
}

/// `value` encoded in `format`.
pub fn encode<T: Serialize + ?Sized>(value: &T, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    // Only map keys that are not strings can fail; our types have none.
    let _ = encode_into(value, format, &mut out);
    out
}

/// Decodes exactly one value from `bytes` under `limits`.
pub fn decode_with<T: DeserializeOwned>(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<T, DecodeError> {
    if bytes.len() > limits.max_frame_size {
        return Err(DecodeError::new(
            DecodeErrorKind::TooLarge,
            format!("{} bytes > limit {}", bytes.len(), limits.max_frame_size),
        ));
    }
    match format {
        Format::Json => json::decode(bytes, limits),
        Format::MsgPack => msgpack::decode(bytes, limits),
    }
}

/// Decodes exactly one value from `bytes` under default limits.
pub fn decode<T: DeserializeOwned>(bytes: &[u8], format: Format) -> Result<T, DecodeError> {
    decode_with(bytes, format, &Limits::default())
}

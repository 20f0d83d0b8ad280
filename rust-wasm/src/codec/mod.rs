//! Frame codecs: JSON and msgpack, hand-written, one reader and one writer per format behind
//! the [`Read`] and [`Write`] traits; each wire type implements [`Decode`] and [`Encode`] once
//! for both formats.
//!
//! Decoding never panics, checks the frame size limit before touching the bytes, bounds nesting
//! depth, rejects trailing bytes, and never allocates on a length the input claims: strings and
//! binary are borrowed from the frame until a value keeps them. Encoding appends to a
//! caller-owned buffer so the driver can reuse one allocation for every frame.

pub(crate) mod json;
mod msgpack;
mod value;

use std::borrow::Cow;

use crate::protocol::ErrorInfo;
pub use value::Value;

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
    /// The `format=` query value (RTN2a).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::MsgPack => "msgpack",
        }
    }

    /// The `Accept`/`Content-Type` MIME type (RSC8).
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

/// Decoder limits, checked before allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted frame or body, in bytes.
    pub max_frame_size: usize,
    /// Deepest accepted nesting (extras, JSON data); bounds stack use in wasm. The frame's own
    /// map counts as 1.
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

/// Why bytes could not be decoded: a kind and a short static detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// What went wrong.
    pub kind: DecodeErrorKind,
    /// What the decoder expected or found.
    pub detail: &'static str,
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
    pub(crate) fn new(kind: DecodeErrorKind, detail: &'static str) -> Self {
        DecodeError { kind, detail }
    }

    pub(crate) fn malformed(detail: &'static str) -> Self {
        Self::new(DecodeErrorKind::Malformed, detail)
    }

    /// The Ably error for a frame the peer sent that we cannot read (40000 bad request).
    pub fn to_error_info(&self) -> ErrorInfo {
        ErrorInfo::undecodable(self.message())
    }

    /// `cannot decode: <kind>: <detail>`.
    pub fn message(&self) -> String {
        let what = match self.kind {
            DecodeErrorKind::TooLarge => "frame too large",
            DecodeErrorKind::Malformed => "malformed frame",
            DecodeErrorKind::TrailingBytes => "trailing bytes after frame",
            DecodeErrorKind::TooDeep => "nesting too deep",
        };
        ["cannot decode: ", what, ": ", self.detail].concat()
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for DecodeError {}

/// What the next value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null` / nil.
    Null,
    /// A boolean.
    Bool,
    /// An integer or a float.
    Number,
    /// A string.
    Str,
    /// msgpack `bin` (never in JSON).
    Bin,
    /// An array.
    Array,
    /// A map / object.
    Map,
}

/// The reader's state for one map or array being read (count left, or whether it is the first
/// element); hold it on the stack while reading that container.
#[derive(Debug)]
pub struct Seq(u32);

/// A pull reader over one frame, implemented by the JSON and msgpack readers. Containers count
/// towards the depth limit from [`Read::map`]/[`Read::array`] until their last element is read.
pub trait Read<'de> {
    /// The kind of the next value, without consuming it.
    fn peek(&mut self) -> Result<Kind, DecodeError>;
    /// Consumes a `null`.
    fn null(&mut self) -> Result<(), DecodeError>;
    /// Reads a boolean.
    fn bool(&mut self) -> Result<bool, DecodeError>;
    /// Reads a non-negative integer.
    fn u64(&mut self) -> Result<u64, DecodeError>;
    /// Reads an integer.
    fn i64(&mut self) -> Result<i64, DecodeError>;
    /// Reads any number as a [`Value`].
    fn number(&mut self) -> Result<Value, DecodeError>;
    /// Reads a string, borrowed from the frame when it has no escapes.
    fn str(&mut self) -> Result<Cow<'de, str>, DecodeError>;
    /// Reads a string, or its raw bytes when they are not UTF-8 (msgpack `str` is not
    /// validated by every encoder; such a payload is kept as binary).
    fn str_or_bytes(&mut self) -> Result<Result<Cow<'de, str>, &'de [u8]>, DecodeError> {
        self.str().map(Ok)
    }
    /// Reads binary (msgpack `bin`).
    fn bin(&mut self) -> Result<&'de [u8], DecodeError>;
    /// Enters a map.
    fn map(&mut self) -> Result<Seq, DecodeError>;
    /// The next key of the map entered with `seq`, or `None` after its last entry.
    fn next_key(&mut self, seq: &mut Seq) -> Result<Option<Cow<'de, str>>, DecodeError>;
    /// Enters an array.
    fn array(&mut self) -> Result<Seq, DecodeError>;
    /// Whether the array entered with `seq` has another element.
    fn next_item(&mut self, seq: &mut Seq) -> Result<bool, DecodeError>;
    /// Skips one value of any kind (still bounded by the depth limit).
    fn skip(&mut self) -> Result<(), DecodeError>;
    /// Checks that nothing but whitespace follows the value.
    fn finish(&mut self) -> Result<(), DecodeError>;
}

/// An appending writer, implemented by the JSON and msgpack writers. Map and array lengths are
/// given up front (msgpack writes them first).
pub trait Write {
    /// Whether this is the JSON writer (payload encodings differ, RSL4).
    fn is_text(&self) -> bool;
    /// Writes `null` / nil.
    fn null(&mut self);
    /// Writes a boolean.
    fn bool(&mut self, b: bool);
    /// Writes an unsigned integer in its smallest form.
    fn u64(&mut self, n: u64);
    /// Writes a signed integer in its smallest form.
    fn i64(&mut self, n: i64);
    /// Writes a float (JSON: `null` when not finite).
    fn f64(&mut self, f: f64);
    /// Writes a string.
    fn str(&mut self, s: &str);
    /// Writes binary (JSON: an array of numbers; payloads are base64 text before this).
    fn bin(&mut self, b: &[u8]);
    /// Starts a map of `len` entries.
    fn map(&mut self, len: usize);
    /// Ends a map.
    fn end_map(&mut self);
    /// Starts an array of `len` elements.
    fn array(&mut self, len: usize);
    /// Ends an array.
    fn end_array(&mut self);
    /// Writes a map key.
    fn key(&mut self, k: &str);
}

/// The reader of either format. Wire types decode through this one type, so their code exists
/// once in the binary rather than once per format (the format is a well-predicted branch).
pub struct Reader<'de>(Inner<'de>);

enum Inner<'de> {
    Json(json::Reader<'de>),
    Pack(msgpack::Reader<'de>),
}

impl<'de> Reader<'de> {
    fn new(bytes: &'de [u8], format: Format, max_depth: usize) -> Self {
        Reader(match format {
            Format::Json => Inner::Json(json::Reader::new(bytes, max_depth)),
            Format::MsgPack => Inner::Pack(msgpack::Reader::new(bytes, max_depth)),
        })
    }
}

macro_rules! delegate {
    ($self:ident, $r:ident => $e:expr) => {
        match &mut $self.0 {
            Inner::Json($r) => $e,
            Inner::Pack($r) => $e,
        }
    };
}

impl<'de> Read<'de> for Reader<'de> {
    fn peek(&mut self) -> Result<Kind, DecodeError> {
        delegate!(self, r => r.peek())
    }
    fn null(&mut self) -> Result<(), DecodeError> {
        delegate!(self, r => r.null())
    }
    fn bool(&mut self) -> Result<bool, DecodeError> {
        delegate!(self, r => r.bool())
    }
    fn u64(&mut self) -> Result<u64, DecodeError> {
        delegate!(self, r => r.u64())
    }
    fn i64(&mut self) -> Result<i64, DecodeError> {
        delegate!(self, r => r.i64())
    }
    fn number(&mut self) -> Result<Value, DecodeError> {
        delegate!(self, r => r.number())
    }
    fn str(&mut self) -> Result<Cow<'de, str>, DecodeError> {
        delegate!(self, r => r.str())
    }
    fn str_or_bytes(&mut self) -> Result<Result<Cow<'de, str>, &'de [u8]>, DecodeError> {
        delegate!(self, r => r.str_or_bytes())
    }
    fn bin(&mut self) -> Result<&'de [u8], DecodeError> {
        delegate!(self, r => r.bin())
    }
    fn map(&mut self) -> Result<Seq, DecodeError> {
        delegate!(self, r => r.map())
    }
    fn next_key(&mut self, seq: &mut Seq) -> Result<Option<Cow<'de, str>>, DecodeError> {
        delegate!(self, r => r.next_key(seq))
    }
    fn array(&mut self) -> Result<Seq, DecodeError> {
        delegate!(self, r => r.array())
    }
    fn next_item(&mut self, seq: &mut Seq) -> Result<bool, DecodeError> {
        delegate!(self, r => r.next_item(seq))
    }
    fn skip(&mut self) -> Result<(), DecodeError> {
        delegate!(self, r => r.skip())
    }
    fn finish(&mut self) -> Result<(), DecodeError> {
        delegate!(self, r => r.finish())
    }
}

/// The writer of either format (one copy of every type's encoding, as for [`Reader`]).
pub struct Writer<'a>(WInner<'a>);

enum WInner<'a> {
    Json(json::Writer<'a>),
    Pack(msgpack::Writer<'a>),
}

impl<'a> Writer<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>, format: Format) -> Self {
        Writer(match format {
            Format::Json => WInner::Json(json::Writer::new(out)),
            Format::MsgPack => WInner::Pack(msgpack::Writer::new(out)),
        })
    }
}

macro_rules! wdelegate {
    ($self:ident, $w:ident => $e:expr) => {
        match &mut $self.0 {
            WInner::Json($w) => $e,
            WInner::Pack($w) => $e,
        }
    };
}

impl Write for Writer<'_> {
    fn is_text(&self) -> bool {
        matches!(self.0, WInner::Json(_))
    }
    fn null(&mut self) {
        wdelegate!(self, w => w.null())
    }
    fn bool(&mut self, b: bool) {
        wdelegate!(self, w => w.bool(b))
    }
    fn u64(&mut self, n: u64) {
        wdelegate!(self, w => w.u64(n))
    }
    fn i64(&mut self, n: i64) {
        wdelegate!(self, w => w.i64(n))
    }
    fn f64(&mut self, f: f64) {
        wdelegate!(self, w => w.f64(f))
    }
    fn str(&mut self, s: &str) {
        wdelegate!(self, w => w.str(s))
    }
    fn bin(&mut self, b: &[u8]) {
        wdelegate!(self, w => w.bin(b))
    }
    fn map(&mut self, len: usize) {
        wdelegate!(self, w => w.map(len))
    }
    fn end_map(&mut self) {
        wdelegate!(self, w => w.end_map())
    }
    fn array(&mut self, len: usize) {
        wdelegate!(self, w => w.array(len))
    }
    fn end_array(&mut self) {
        wdelegate!(self, w => w.end_array())
    }
    fn key(&mut self, k: &str) {
        wdelegate!(self, w => w.key(k))
    }
}

/// A value that can be read from either format.
pub trait Decode: Sized {
    /// Reads one value.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

/// A value that can be written in either format.
pub trait Encode {
    /// Writes this value.
    fn encode(&self, w: &mut Writer<'_>);
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut out = Vec::new();
        let mut seq = r.array()?;
        while r.next_item(&mut seq)? {
            out.push(T::decode(r)?);
        }
        Ok(out)
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, w: &mut Writer<'_>) {
        w.array(self.len());
        for v in self {
            v.encode(w);
        }
        w.end_array();
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Writer<'_>) {
        self.as_slice().encode(w);
    }
}

impl Decode for i64 {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.i64()
    }
}

/// `None` for `null`, else `read`'s value (serde's `Option` rule: a null field is absent).
pub(crate) fn opt<'de, T>(
    r: &mut Reader<'de>,
    read: impl FnOnce(&mut Reader<'de>) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    if r.peek()? == Kind::Null {
        r.null()?;
        return Ok(None);
    }
    read(r).map(Some)
}

/// An owned string.
pub(crate) fn string<'de>(r: &mut Reader<'de>) -> Result<String, DecodeError> {
    Ok(r.str()?.into_owned())
}

/// An optional owned string.
pub(crate) fn opt_string<'de>(r: &mut Reader<'de>) -> Result<Option<String>, DecodeError> {
    opt(r, string)
}

/// A `u32`, refusing larger numbers.
pub(crate) fn u32<'de>(r: &mut Reader<'de>) -> Result<u32, DecodeError> {
    u32::try_from(r.u64()?).map_err(|_| DecodeError::malformed("number out of range"))
}

/// A `u16`, refusing larger numbers.
pub(crate) fn u16<'de>(r: &mut Reader<'de>) -> Result<u16, DecodeError> {
    u16::try_from(r.u64()?).map_err(|_| DecodeError::malformed("number out of range"))
}

/// A `u8`, refusing larger numbers.
pub(crate) fn u8<'de>(r: &mut Reader<'de>) -> Result<u8, DecodeError> {
    u8::try_from(r.u64()?).map_err(|_| DecodeError::malformed("number out of range"))
}

/// Appends `value` encoded in `format` to `out`. Encoding cannot fail: every value this crate
/// holds has a JSON and a msgpack form.
pub fn encode_into<T: Encode + ?Sized>(value: &T, format: Format, out: &mut Vec<u8>) {
    value.encode(&mut Writer::new(out, format));
}

/// `value` encoded in `format`.
pub fn encode<T: Encode + ?Sized>(value: &T, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(value, format, &mut out);
    out
}

/// Decodes exactly one value from `bytes` under `limits`.
pub fn decode_with<T: Decode>(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<T, DecodeError> {
    if bytes.len() > limits.max_frame_size {
        return Err(DecodeError::new(
            DecodeErrorKind::TooLarge,
            "larger than max_frame_size",
        ));
    }
    let mut r = Reader::new(bytes, format, limits.max_depth);
    let v = T::decode(&mut r)?;
    r.finish()?;
    Ok(v)
}

/// Decodes exactly one value from `bytes` under default limits.
pub fn decode<T: Decode>(bytes: &[u8], format: Format) -> Result<T, DecodeError> {
    decode_with(bytes, format, &Limits::default())
}

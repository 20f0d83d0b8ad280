//! msgpack: a borrowing pull reader and a writer that picks the smallest form of every integer,
//! string, binary, array and map header (as msgpack-js and rmp do). Maps have named camelCase
//! keys; binary payloads are `bin`.

use std::borrow::Cow;

use super::{DecodeError, DecodeErrorKind, Kind, Read, Seq, Value, Write};

fn err(detail: &'static str) -> DecodeError {
    DecodeError::malformed(detail)
}

/// An integer as read: unsigned forms and signed forms.
enum Int {
    U(u64),
    I(i64),
}

/// Reads one msgpack value.
pub(crate) struct Reader<'de> {
    b: &'de [u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
}

impl<'de> Reader<'de> {
    pub(crate) fn new(b: &'de [u8], max_depth: usize) -> Self {
        Reader {
            b,
            pos: 0,
            depth: 0,
            max_depth,
        }
    }

    fn marker(&self) -> Result<u8, DecodeError> {
        self.b
            .get(self.pos)
            .copied()
            .ok_or(err("unexpected end of input"))
    }

    /// The next `n` bytes; the length is checked against the input before anything else.
    fn take(&mut self, n: usize) -> Result<&'de [u8], DecodeError> {
        let b = self.b;
        let end = self.pos.checked_add(n).filter(|&e| e <= b.len());
        let end = end.ok_or(err("length beyond the end of input"))?;
        let s = &b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn be<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// A length after a marker: 1, 2 or 4 big-endian bytes.
    fn len(&mut self, bytes: u8) -> Result<usize, DecodeError> {
        Ok(match bytes {
            1 => usize::from(self.be::<1>()?[0]),
            2 => usize::from(u16::from_be_bytes(self.be()?)),
            _ => u32::from_be_bytes(self.be()?) as usize,
        })
    }

    fn int(&mut self) -> Result<Int, DecodeError> {
        let m = self.marker()?;
        self.pos += 1;
        Ok(match m {
            0x00..=0x7f => Int::U(u64::from(m)),
            0xe0..=0xff => Int::I(i64::from(m as i8)),
            0xcc => Int::U(u64::from(self.be::<1>()?[0])),
            0xcd => Int::U(u64::from(u16::from_be_bytes(self.be()?))),
            0xce => Int::U(u64::from(u32::from_be_bytes(self.be()?))),
            0xcf => Int::U(u64::from_be_bytes(self.be()?)),
            0xd0 => Int::I(i64::from(self.be::<1>()?[0] as i8)),
            0xd1 => Int::I(i64::from(i16::from_be_bytes(self.be()?))),
            0xd2 => Int::I(i64::from(i32::from_be_bytes(self.be()?))),
            0xd3 => Int::I(i64::from_be_bytes(self.be()?)),
            _ => {
                self.pos -= 1;
                return Err(err("expected an integer"));
            }
        })
    }

    fn str_bytes(&mut self) -> Result<&'de [u8], DecodeError> {
        let m = self.marker()?;
        self.pos += 1;
        let n = match m {
            0xa0..=0xbf => usize::from(m & 0x1f),
            0xd9 => self.len(1)?,
            0xda => self.len(2)?,
            0xdb => self.len(4)?,
            _ => {
                self.pos -= 1;
                return Err(err("expected a string"));
            }
        };
        self.take(n)
    }

    fn enter(&mut self) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(DecodeError::new(DecodeErrorKind::TooDeep, "msgpack"));
        }
        Ok(())
    }

    /// A container header: its element count (maps: entries).
    fn header(&mut self, map: bool) -> Result<u32, DecodeError> {
        let m = self.marker()?;
        self.pos += 1;
        let n = match (map, m) {
            (true, 0x80..=0x8f) | (false, 0x90..=0x9f) => u32::from(m & 0x0f),
            (true, 0xde) | (false, 0xdc) => u32::from(u16::from_be_bytes(self.be()?)),
            (true, 0xdf) | (false, 0xdd) => u32::from_be_bytes(self.be()?),
            _ => {
                self.pos -= 1;
                return Err(err(if map {
                    "expected a map"
                } else {
                    "expected an array"
                }));
            }
        };
        self.enter()?;
        Ok(n)
    }
}

impl<'de> Read<'de> for Reader<'de> {
    fn peek(&mut self) -> Result<Kind, DecodeError> {
        Ok(match self.marker()? {
            0xc0 => Kind::Null,
            0xc2 | 0xc3 => Kind::Bool,
            0x00..=0x7f | 0xe0..=0xff | 0xca..=0xd3 => Kind::Number,
            0xa0..=0xbf | 0xd9..=0xdb => Kind::Str,
            0xc4..=0xc6 => Kind::Bin,
            0x90..=0x9f | 0xdc | 0xdd => Kind::Array,
            0x80..=0x8f | 0xde | 0xdf => Kind::Map,
            _ => return Err(err("unsupported msgpack type")), // 0xc1, ext
        })
    }

    fn null(&mut self) -> Result<(), DecodeError> {
        if self.marker()? != 0xc0 {
            return Err(err("expected nil"));
        }
        self.pos += 1;
        Ok(())
    }

    fn bool(&mut self) -> Result<bool, DecodeError> {
        let b = match self.marker()? {
            0xc2 => false,
            0xc3 => true,
            _ => return Err(err("expected a boolean")),
        };
        self.pos += 1;
        Ok(b)
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        match self.int()? {
            Int::U(n) => Ok(n),
            Int::I(n) => u64::try_from(n).map_err(|_| err("expected an unsigned integer")),
        }
    }

    fn i64(&mut self) -> Result<i64, DecodeError> {
        match self.int()? {
            Int::U(n) => i64::try_from(n).map_err(|_| err("integer out of range")),
            Int::I(n) => Ok(n),
        }
    }

    fn number(&mut self) -> Result<Value, DecodeError> {
        let f = match self.marker()? {
            0xca => {
                self.pos += 1;
                f64::from(f32::from_be_bytes(self.be()?))
            }
            0xcb => {
                self.pos += 1;
                f64::from_be_bytes(self.be()?)
            }
            _ => {
                return Ok(match self.int()? {
                    Int::U(n) => Value::Uint(n),
                    Int::I(n) => Value::from_i64(n),
                })
            }
        };
        // JSON has no NaN or infinity: such a float reads as null, as JSON parsers map them.
        Ok(if f.is_finite() {
            Value::Float(f)
        } else {
            Value::Null
        })
    }

    fn str(&mut self) -> Result<Cow<'de, str>, DecodeError> {
        let b = self.str_bytes()?;
        std::str::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|_| err("invalid UTF-8"))
    }

    fn str_or_bytes(&mut self) -> Result<Result<Cow<'de, str>, &'de [u8]>, DecodeError> {
        let b = self.str_bytes()?;
        Ok(std::str::from_utf8(b).map(Cow::Borrowed).map_err(|_| b))
    }

    fn bin(&mut self) -> Result<&'de [u8], DecodeError> {
        let m = self.marker()?;
        let bytes = match m {
            0xc4 => 1,
            0xc5 => 2,
            0xc6 => 4,
            _ => return Err(err("expected binary")),
        };
        self.pos += 1;
        let n = self.len(bytes)?;
        self.take(n)
    }

    fn map(&mut self) -> Result<Seq, DecodeError> {
        self.header(true).map(Seq)
    }

    fn next_key(&mut self, seq: &mut Seq) -> Result<Option<Cow<'de, str>>, DecodeError> {
        if seq.0 == 0 {
            self.depth -= 1;
            return Ok(None);
        }
        seq.0 -= 1;
        self.str().map(Some)
    }

    fn array(&mut self) -> Result<Seq, DecodeError> {
        self.header(false).map(Seq)
    }

    fn next_item(&mut self, seq: &mut Seq) -> Result<bool, DecodeError> {
        if seq.0 == 0 {
            self.depth -= 1;
            return Ok(false);
        }
        seq.0 -= 1;
        Ok(true)
    }

    fn skip(&mut self) -> Result<(), DecodeError> {
        let m = self.marker()?;
        // (bytes after the marker, bytes of a length that follows)
        let (fixed, len_bytes) = match m {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => (0, 0),
            0xa0..=0xbf => (usize::from(m & 0x1f), 0),
            0xcc | 0xd0 => (1, 0),
            0xcd | 0xd1 => (2, 0),
            0xca | 0xce | 0xd2 => (4, 0),
            0xcb | 0xcf | 0xd3 => (8, 0),
            0xd4 => (2, 0),
            0xd5 => (3, 0),
            0xd6 => (5, 0),
            0xd7 => (9, 0),
            0xd8 => (17, 0),
            0xc4 | 0xd9 => (0, 1),
            0xc5 | 0xda => (0, 2),
            0xc6 | 0xdb => (0, 4),
            0xc7 => (1, 1), // ext: a type byte after the length
            0xc8 => (1, 2),
            0xc9 => (1, 4),
            0x80..=0x8f | 0xde | 0xdf | 0x90..=0x9f | 0xdc | 0xdd => {
                let map = matches!(m, 0x80..=0x8f | 0xde | 0xdf);
                let n = self.header(map)?;
                let items = u64::from(n) * if map { 2 } else { 1 };
                for _ in 0..items {
                    self.skip()?;
                }
                self.depth -= 1;
                return Ok(());
            }
            _ => return Err(err("unsupported msgpack type")), // 0xc1
        };
        self.pos += 1;
        let n = if len_bytes > 0 {
            self.len(len_bytes)?
        } else {
            0
        };
        self.take(fixed.saturating_add(n)).map(drop)
    }

    fn finish(&mut self) -> Result<(), DecodeError> {
        if self.pos != self.b.len() {
            return Err(DecodeError::new(
                DecodeErrorKind::TrailingBytes,
                "after the msgpack value",
            ));
        }
        Ok(())
    }
}

/// Writes msgpack.
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Writer { out }
    }

    /// A length header: the fix form's base marker (if any fits under `fix_max`), then the
    /// 8-, 16- and 32-bit markers (0 where a form does not exist).
    fn header(&mut self, len: usize, fix: u8, fix_max: usize, m8: u8, m16: u8, m32: u8) {
        if len <= fix_max {
            self.out.push(fix | len as u8);
        } else if m8 != 0 && len <= 0xff {
            self.out.extend_from_slice(&[m8, len as u8]);
        } else if len <= 0xffff {
            self.out.push(m16);
            self.out.extend_from_slice(&(len as u16).to_be_bytes());
        } else {
            self.out.push(m32);
            self.out.extend_from_slice(&(len as u32).to_be_bytes());
        }
    }
}

impl Write for Writer<'_> {
    fn is_text(&self) -> bool {
        false
    }
    fn null(&mut self) {
        self.out.push(0xc0);
    }
    fn bool(&mut self, b: bool) {
        self.out.push(if b { 0xc3 } else { 0xc2 });
    }
    fn u64(&mut self, n: u64) {
        if n < 0x80 {
            self.out.push(n as u8);
        } else if n <= 0xff {
            self.out.extend_from_slice(&[0xcc, n as u8]);
        } else if n <= 0xffff {
            self.out.push(0xcd);
            self.out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= 0xffff_ffff {
            self.out.push(0xce);
            self.out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            self.out.push(0xcf);
            self.out.extend_from_slice(&n.to_be_bytes());
        }
    }
    fn i64(&mut self, n: i64) {
        if n >= 0 {
            self.u64(n as u64);
        } else if n >= -32 {
            self.out.push(n as u8);
        } else if n >= -128 {
            self.out.extend_from_slice(&[0xd0, n as u8]);
        } else if n >= -32768 {
            self.out.push(0xd1);
            self.out.extend_from_slice(&(n as i16).to_be_bytes());
        } else if n >= -2_147_483_648 {
            self.out.push(0xd2);
            self.out.extend_from_slice(&(n as i32).to_be_bytes());
        } else {
            self.out.push(0xd3);
            self.out.extend_from_slice(&n.to_be_bytes());
        }
    }
    fn f64(&mut self, f: f64) {
        self.out.push(0xcb);
        self.out.extend_from_slice(&f.to_be_bytes());
    }
    fn str(&mut self, s: &str) {
        self.header(s.len(), 0xa0, 31, 0xd9, 0xda, 0xdb);
        self.out.extend_from_slice(s.as_bytes());
    }
    fn bin(&mut self, b: &[u8]) {
        // No fix form for bin: 0xc4 covers 0..=255.
        if b.len() <= 0xff {
            self.out.extend_from_slice(&[0xc4, b.len() as u8]);
        } else {
            self.header(b.len(), 0, 0, 0, 0xc5, 0xc6);
        }
        self.out.extend_from_slice(b);
    }
    fn map(&mut self, len: usize) {
        self.header(len, 0x80, 15, 0, 0xde, 0xdf);
    }
    fn end_map(&mut self) {}
    fn array(&mut self, len: usize) {
        self.header(len, 0x90, 15, 0, 0xdc, 0xdd);
    }
    fn end_array(&mut self) {}
    fn key(&mut self, k: &str) {
        self.str(k);
    }
}

//! JSON: a borrowing pull reader (RFC 8259, strict: no trailing commas, no leading zeros, no
//! lone surrogates) and a compact writer that escapes as `JSON.stringify` does.

use std::borrow::Cow;

use super::{DecodeError, DecodeErrorKind, Kind, Read, Seq, Value, Write};

fn err(detail: &'static str) -> DecodeError {
    DecodeError::malformed(detail)
}

/// Reads one JSON text.
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

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next non-whitespace byte, not consumed.
    fn peek_byte(&mut self) -> Result<u8, DecodeError> {
        self.ws();
        self.b
            .get(self.pos)
            .copied()
            .ok_or(err("unexpected end of input"))
    }

    fn expect(&mut self, c: u8, detail: &'static str) -> Result<(), DecodeError> {
        if self.peek_byte()? != c {
            return Err(err(detail));
        }
        self.pos += 1;
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), DecodeError> {
        self.ws();
        if !self.b[self.pos.min(self.b.len())..].starts_with(word) {
            return Err(err("invalid literal"));
        }
        self.pos += word.len();
        Ok(())
    }

    fn enter(&mut self) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(DecodeError::new(DecodeErrorKind::TooDeep, "JSON"));
        }
        Ok(())
    }

    /// Scans one number token: `(start, end, is_integer)`.
    fn number_token(&mut self) -> Result<(usize, usize, bool), DecodeError> {
        self.ws();
        let start = self.pos;
        let b = self.b;
        let digits = |mut i: usize| {
            let from = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            (i, i - from)
        };
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let (end, n) = digits(i);
        if n == 0 || (n > 1 && b[i] == b'0') {
            return Err(err("invalid number"));
        }
        i = end;
        let mut integer = true;
        if b.get(i) == Some(&b'.') {
            let (end, n) = digits(i + 1);
            if n == 0 {
                return Err(err("invalid number"));
            }
            (i, integer) = (end, false);
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            let (end, n) = digits(i);
            if n == 0 {
                return Err(err("invalid number"));
            }
            (i, integer) = (end, false);
        }
        self.pos = i;
        Ok((start, i, integer))
    }

    /// The magnitude and sign of an integer token; `None` if it overflows a `u64`.
    fn integer(&self, start: usize, end: usize) -> (bool, Option<u64>) {
        let neg = self.b[start] == b'-';
        let mut n: u64 = 0;
        for &d in &self.b[start + usize::from(neg)..end] {
            match n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
            {
                Some(v) => n = v,
                None => return (neg, None),
            }
        }
        (neg, Some(n))
    }

    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let h = self
            .b
            .get(self.pos..self.pos + 4)
            .ok_or(err("bad \\u escape"))?;
        let mut n = 0u32;
        for &c in h {
            let d = (c as char).to_digit(16).ok_or(err("bad \\u escape"))?;
            n = n * 16 + d;
        }
        self.pos += 4;
        Ok(n)
    }

    /// The rest of a string with escapes, from `start` (after the quote); `pos` is at the
    /// first backslash.
    fn unescape(&mut self, start: usize) -> Result<String, DecodeError> {
        let mut out: Vec<u8> = self.b[start..self.pos].to_vec();
        loop {
            let Some(&c) = self.b.get(self.pos) else {
                return Err(err("unterminated string"));
            };
            self.pos += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *self.b.get(self.pos).ok_or(err("unterminated string"))?;
                    self.pos += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.b.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(err("lone surrogate"));
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(err("lone surrogate"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or(err("lone surrogate"))?
                        }
                        _ => return Err(err("bad escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c if c < 0x20 => return Err(err("control character in string")),
                c => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| err("invalid UTF-8"))
    }
}

impl<'de> Read<'de> for Reader<'de> {
    fn peek(&mut self) -> Result<Kind, DecodeError> {
        Ok(match self.peek_byte()? {
            b'n' => Kind::Null,
            b't' | b'f' => Kind::Bool,
            b'-' | b'0'..=b'9' => Kind::Number,
            b'"' => Kind::Str,
            b'[' => Kind::Array,
            b'{' => Kind::Map,
            _ => return Err(err("expected a value")),
        })
    }

    fn null(&mut self) -> Result<(), DecodeError> {
        self.literal(b"null")
    }

    fn bool(&mut self) -> Result<bool, DecodeError> {
        if self.peek_byte()? == b't' {
            self.literal(b"true").map(|_| true)
        } else {
            self.literal(b"false").map(|_| false)
        }
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        match self.number_token()? {
            (start, end, true) => match self.integer(start, end) {
                (false, Some(n)) => Ok(n),
                (true, Some(0)) => Ok(0),
                _ => Err(err("expected an unsigned integer")),
            },
            _ => Err(err("expected an integer")),
        }
    }

    fn i64(&mut self) -> Result<i64, DecodeError> {
        match self.number_token()? {
            (start, end, true) => match self.integer(start, end) {
                (false, Some(n)) => i64::try_from(n).map_err(|_| err("integer out of range")),
                (true, Some(n)) if n <= 1 << 63 => Ok((n as i64).wrapping_neg()),
                _ => Err(err("integer out of range")),
            },
            _ => Err(err("expected an integer")),
        }
    }

    fn number(&mut self) -> Result<Value, DecodeError> {
        let (start, end, integer) = self.number_token()?;
        if integer {
            match self.integer(start, end) {
                (false, Some(n)) => return Ok(Value::Uint(n)),
                (true, Some(n)) if n <= 1 << 63 => {
                    return Ok(Value::from_i64((n as i64).wrapping_neg()))
                }
                _ => {} // beyond 64 bits: a float, as JSON parsers do
            }
        }
        // The token is ASCII digits, sign, dot and exponent only.
        let text = std::str::from_utf8(&self.b[start..end]).map_err(|_| err("invalid number"))?;
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(err("number out of range")),
        }
    }

    fn str(&mut self) -> Result<Cow<'de, str>, DecodeError> {
        self.expect(b'"', "expected a string")?;
        let start = self.pos;
        loop {
            match self.b.get(self.pos) {
                None => return Err(err("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => return self.unescape(start).map(Cow::Owned),
                Some(&c) if c < 0x20 => return Err(err("control character in string")),
                Some(_) => self.pos += 1,
            }
        }
        let s = &self.b[start..self.pos];
        self.pos += 1;
        std::str::from_utf8(s)
            .map(Cow::Borrowed)
            .map_err(|_| err("invalid UTF-8"))
    }

    fn bin(&mut self) -> Result<&'de [u8], DecodeError> {
        Err(err("expected binary"))
    }

    fn map(&mut self) -> Result<Seq, DecodeError> {
        self.expect(b'{', "expected an object")?;
        self.enter()?;
        Ok(Seq(0))
    }

    fn next_key(&mut self, seq: &mut Seq) -> Result<Option<Cow<'de, str>>, DecodeError> {
        if self.peek_byte()? == b'}' {
            self.pos += 1;
            self.depth -= 1;
            return Ok(None);
        }
        if seq.0 != 0 {
            self.expect(b',', "expected `,` or `}`")?;
        }
        seq.0 = 1;
        let key = self.str()?;
        self.expect(b':', "expected `:`")?;
        Ok(Some(key))
    }

    fn array(&mut self) -> Result<Seq, DecodeError> {
        self.expect(b'[', "expected an array")?;
        self.enter()?;
        Ok(Seq(0))
    }

    fn next_item(&mut self, seq: &mut Seq) -> Result<bool, DecodeError> {
        if self.peek_byte()? == b']' {
            self.pos += 1;
            self.depth -= 1;
            return Ok(false);
        }
        if seq.0 != 0 {
            self.expect(b',', "expected `,` or `]`")?;
        }
        seq.0 = 1;
        Ok(true)
    }

    fn skip(&mut self) -> Result<(), DecodeError> {
        match self.peek()? {
            Kind::Null => self.null(),
            Kind::Bool => self.bool().map(drop),
            Kind::Number => self.number_token().map(drop),
            Kind::Str | Kind::Bin => self.str().map(drop),
            Kind::Array => {
                let mut seq = self.array()?;
                while self.next_item(&mut seq)? {
                    self.skip()?;
                }
                Ok(())
            }
            Kind::Map => {
                let mut seq = self.map()?;
                while self.next_key(&mut seq)?.is_some() {
                    self.skip()?;
                }
                Ok(())
            }
        }
    }

    fn finish(&mut self) -> Result<(), DecodeError> {
        self.ws();
        if self.pos != self.b.len() {
            return Err(DecodeError::new(
                DecodeErrorKind::TrailingBytes,
                "after the JSON value",
            ));
        }
        Ok(())
    }
}

/// Whether `text` is one well-formed JSON value (the `json` payload step, RSL6a).
pub(crate) fn is_valid(text: &str) -> bool {
    let mut r = Reader::new(text.as_bytes(), 128);
    r.skip().and_then(|_| r.finish()).is_ok()
}

/// Writes compact JSON.
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
    /// A value was written at this level: the next one needs a comma.
    comma: bool,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Writer { out, comma: false }
    }

    fn sep(&mut self) {
        if self.comma {
            self.out.push(b',');
        }
        self.comma = true;
    }
}

/// Appends `n` in decimal.
pub(crate) fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends a finite float: the shortest decimal of at most 17 significant digits that reads
/// back as the same `f64`, always with a `.` or an exponent so it reads back as a float. Core's
/// float formatting (Grisu/Dragon, ~17 KB of wasm) is not used: candidates are checked by
/// parsing them back, which the reader needs anyway.
pub(crate) fn push_f64(out: &mut Vec<u8>, f: f64) {
    if f.is_sign_negative() {
        out.push(b'-');
    }
    let a = f.abs();
    if a.fract() == 0.0 && a < 9_007_199_254_740_992.0 {
        push_u64(out, a as u64); // an integer below 2^53 is exact
        out.extend_from_slice(b".0");
        return;
    }
    // Decimal exponent of the leading digit, from the binary exponent (may be off by one).
    let e2 = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let e10 = (f64::from(e2) * std::f64::consts::LOG10_2).floor() as i32;
    let mut text = Vec::with_capacity(32);
    let mut read_back = |m: u64, x: i32| {
        text.clear();
        push_u64(&mut text, m);
        text.push(b'e');
        if x < 0 {
            text.push(b'-');
        }
        push_u64(&mut text, u64::from(x.unsigned_abs()));
        std::str::from_utf8(&text)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    // m ≈ a / 10^x; exact powers up to 10^22, so the estimate is off by at most one there.
    let estimate = |mut x: i32| {
        let mut scaled = a;
        // Steps of 10^22 (exact) keep far exponents from overflowing to infinity.
        while x > 22 {
            scaled /= 1e22;
            x -= 22;
        }
        while x < -22 {
            scaled *= 1e22;
            x += 22;
        }
        scaled = if x >= 0 {
            scaled / 10f64.powi(x)
        } else {
            scaled * 10f64.powi(-x)
        };
        scaled.round() as u64
    };
    let mut best = None;
    'search: for p in 1..=17 {
        for lead in [e10, e10 + 1] {
            let x = lead - p + 1; // value ≈ m × 10^x
            let m = estimate(x);
            for m in [m, m.saturating_sub(1), m.saturating_add(1)] {
                if read_back(m, x) == a {
                    best = Some((m, x));
                    break 'search;
                }
            }
        }
    }
    if best.is_none() {
        // Far exponents: the powers are inexact. Walk 17 digits towards the value; adjacent
        // 17-digit decimals are closer than adjacent floats, so this meets it.
        let x = if estimate(e10 - 16) >= 100_000_000_000_000_000 {
            e10 - 15
        } else {
            e10 - 16
        };
        let mut m = estimate(x);
        for _ in 0..200 {
            let back = read_back(m, x);
            if back == a {
                break;
            }
            m = if back < a {
                m.saturating_add(1)
            } else {
                m.saturating_sub(1)
            };
        }
        best = Some((m, x));
    }
    let Some((m, x)) = best else { return };
    let mut digits = Vec::with_capacity(20);
    push_u64(&mut digits, m);
    // Trailing zeros of the mantissa move into the exponent.
    let mut x = x;
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
        x += 1;
    }
    let n = digits.len() as i32;
    let point = n + x; // digits before the decimal point
    if x >= 0 && point <= 21 {
        out.extend_from_slice(&digits);
        out.extend(std::iter::repeat_n(b'0', x as usize));
        out.extend_from_slice(b".0");
    } else if x < 0 && point > 0 {
        out.extend_from_slice(&digits[..point as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[point as usize..]);
    } else if x < 0 && point > -6 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-point) as usize));
        out.extend_from_slice(&digits);
    } else {
        out.push(digits[0]);
        out.push(b'.');
        if n > 1 {
            out.extend_from_slice(&digits[1..]);
        } else {
            out.push(b'0');
        }
        out.push(b'e');
        let exp = point - 1;
        if exp < 0 {
            out.push(b'-');
        }
        push_u64(out, u64::from(exp.unsigned_abs()));
    }
}

/// Per byte: 0 if it is written as is, else the letter of its escape (`u` for `\u00XX`).
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = b'u';
        c += 1;
    }
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Appends `s` as a JSON string literal, escaped as `JSON.stringify` does. Almost every string
/// the SDK writes (field names, channel names, the lab's payloads) needs no escape: that is
/// checked eight bytes at a time (`needs_escape_in`) and the string copied whole; only a string
/// that may need one takes the byte-by-byte path.
pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    if is_plain(b) {
        out.extend_from_slice(b);
    } else {
        push_escaped(out, b);
    }
    out.push(b'"');
}

/// Whether `b` needs no escape at all (exact: the eight-byte test's "may" falls back here to
/// the table).
fn is_plain(b: &[u8]) -> bool {
    let mut chunks = b.chunks_exact(8);
    let words_plain = chunks.all(|c| {
        let word = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        !needs_escape_in(word) || c.iter().all(|&x| ESCAPE[usize::from(x)] == 0)
    });
    words_plain
        && chunks
            .remainder()
            .iter()
            .all(|&x| ESCAPE[usize::from(x)] == 0)
}

/// The body of a string literal that needs escapes: runs of plain bytes are copied whole.
fn push_escaped(out: &mut Vec<u8>, b: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if !needs_escape_in(word) {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        let e = ESCAPE[usize::from(c)];
        if e != 0 {
            out.extend_from_slice(&b[run..i]);
            if e == b'u' {
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(c >> 4)],
                    HEX[usize::from(c & 15)],
                ]);
            } else {
                out.extend_from_slice(&[b'\\', e]);
            }
            run = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&b[run..]);
}

/// Whether any of the eight bytes in `word` may need an escape: a control byte (< 0x20), `"` or
/// `\`. A "may" is checked byte by byte; a "no" is exact (the classic zero-byte test: a borrow
/// can only mark bytes above a real match, and bytes >= 0x80 never match because `!word` clears
/// their high bit).
fn needs_escape_in(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    let quote = has_zero(word ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
    control | quote | backslash != 0
}

impl Write for Writer<'_> {
    fn is_text(&self) -> bool {
        true
    }
    fn null(&mut self) {
        self.sep();
        self.out.extend_from_slice(b"null");
    }
    fn bool(&mut self, b: bool) {
        self.sep();
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }
    fn u64(&mut self, n: u64) {
        self.sep();
        push_u64(self.out, n);
    }
    fn i64(&mut self, n: i64) {
        self.sep();
        if n < 0 {
            self.out.push(b'-');
        }
        push_u64(self.out, n.unsigned_abs());
    }
    fn f64(&mut self, f: f64) {
        self.sep();
        if !f.is_finite() {
            self.out.extend_from_slice(b"null");
            return;
        }
        push_f64(self.out, f);
    }
    fn str(&mut self, s: &str) {
        self.sep();
        push_str(self.out, s);
    }
    fn bin(&mut self, b: &[u8]) {
        self.array(b.len());
        for &x in b {
            self.u64(u64::from(x));
        }
        self.end_array();
    }
    fn map(&mut self, _len: usize) {
        self.sep();
        self.out.push(b'{');
        self.comma = false;
    }
    fn end_map(&mut self) {
        self.out.push(b'}');
        self.comma = true;
    }
    fn array(&mut self, _len: usize) {
        self.sep();
        self.out.push(b'[');
        self.comma = false;
    }
    fn end_array(&mut self) {
        self.out.push(b']');
        self.comma = true;
    }
    fn key(&mut self, k: &str) {
        self.sep();
        push_str(self.out, k);
        self.out.push(b':');
        // The value follows the colon without a comma.
        self.comma = false;
    }
}

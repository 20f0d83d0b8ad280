//! A JSON value tree for the fields the protocol passes through untouched (`extras`, `version`)
//! and for JSON payloads that arrive as structures rather than text.

use super::{DecodeError, Read, Reader, Write, Writer};

/// A JSON value. Numbers keep their kind as JSON parsers do: non-negative integers, negative
/// integers and floats are different values (`1` is not `1.0`). Object keys keep their order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer ≥ 0.
    Uint(u64),
    /// An integer < 0.
    Int(i64),
    /// A number with a fraction or exponent, or an integer beyond 64 bits.
    Float(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys in the order received.
    Object(Vec<(String, Value)>),
}

// Floats compare by value; NaN cannot be written as JSON and never appears in a decoded value.
impl Eq for Value {}

impl Value {
    /// The value under `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(kv) => kv.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Element `i` of an array.
    pub fn at(&self, i: usize) -> Option<&Value> {
        match self {
            Value::Array(a) => a.get(i),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The compact JSON text of this value (as `JSON.stringify` writes it).
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        self.write(&mut Writer::new(&mut out, super::Format::Json));
        // The JSON writer only writes whole UTF-8 strings and ASCII.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Integer forms as a JSON parser would keep them.
    pub(crate) fn from_i64(n: i64) -> Value {
        if n < 0 {
            Value::Int(n)
        } else {
            Value::Uint(n as u64)
        }
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        match self {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Uint(n) => w.u64(*n),
            Value::Int(n) => w.i64(*n),
            Value::Float(f) => w.f64(*f),
            Value::Str(s) => w.str(s),
            Value::Array(a) => {
                w.array(a.len());
                for v in a {
                    v.write(w);
                }
                w.end_array();
            }
            Value::Object(kv) => {
                w.map(kv.len());
                for (k, v) in kv {
                    w.key(k);
                    v.write(w);
                }
                w.end_map();
            }
        }
    }

    /// Reads any value; binary and non-string keys are not JSON and are refused.
    pub(crate) fn read<'de>(r: &mut Reader<'de>) -> Result<Value, DecodeError> {
        Ok(match r.peek()? {
            super::Kind::Null => {
                r.null()?;
                Value::Null
            }
            super::Kind::Bool => Value::Bool(r.bool()?),
            super::Kind::Number => r.number()?,
            super::Kind::Str => Value::Str(r.str()?.into_owned()),
            super::Kind::Bin => return Err(DecodeError::malformed("binary where JSON expected")),
            super::Kind::Array => {
                let mut a = Vec::new();
                let mut seq = r.array()?;
                while r.next_item(&mut seq)? {
                    a.push(Value::read(r)?);
                }
                Value::Array(a)
            }
            super::Kind::Map => {
                let mut kv = Vec::new();
                let mut seq = r.map()?;
                while let Some(k) = r.next_key(&mut seq)? {
                    let k = k.into_owned();
                    kv.push((k, Value::read(r)?));
                }
                Value::Object(kv)
            }
        })
    }
}

impl super::Decode for Value {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Value::read(r)
    }
}

impl super::Encode for Value {
    fn encode(&self, w: &mut Writer<'_>) {
        self.write(w);
    }
}

static NULL: Value = Value::Null;

/// `value["key"]`: `Null` when absent or not an object (as in JS).
impl std::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value[i]`: `Null` when absent or not an array.
impl std::ops::Index<usize> for Value {
    type Output = Value;
    fn index(&self, i: usize) -> &Value {
        self.at(i).unwrap_or(&NULL)
    }
}

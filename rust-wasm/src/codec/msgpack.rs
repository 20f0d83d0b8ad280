//! msgpack frames via rmp-serde: maps with named camelCase keys (`to_vec_named` shape, §3.5),
//! `bin` for binary payloads, smallest integer forms.

use serde::{de::DeserializeOwned, Serialize};

use super::{DecodeError, DecodeErrorKind, Limits};

pub(super) fn encode<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), String> {
    let mut ser = rmp_serde::Serializer::new(out).with_struct_map();
    value.serialize(&mut ser).map_err(|e| e.to_string())
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8], limits: &Limits) -> Result<T, DecodeError> {
    // `new` over `&[u8]` (not `from_read_ref`) so the unread rest is visible afterwards; its
    // reader grows buffers only as bytes actually arrive, so claimed lengths cannot over-allocate.
    let mut de = rmp_serde::Deserializer::new(bytes);
    // rmp-serde counts the levels below the top value; `max_depth` counts the top value too
    // (as the JSON check does), so the same frame is accepted or refused in both formats.
    de.set_max_depth(limits.max_depth + 1);
    let value = T::deserialize(&mut de).map_err(|e| {
        let kind = match e {
            rmp_serde::decode::Error::DepthLimitExceeded => DecodeErrorKind::TooDeep,
            _ => DecodeErrorKind::Malformed,
        };
        DecodeError::new(kind, e.to_string())
    })?;
    let rest = de.get_ref().len();
    if rest != 0 {
        return Err(DecodeError::new(
            DecodeErrorKind::TrailingBytes,
            format!("{rest} bytes"),
        ));
    }
    Ok(value)
}

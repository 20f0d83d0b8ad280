//! JSON frames via serde_json (recursion limit 128 built in; we add `max_depth`).

use serde::{de::DeserializeOwned, Serialize};

use super::{DecodeError, DecodeErrorKind, Limits};

pub(super) fn encode<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), String> {
    serde_json::to_writer(out, value).map_err(|e| e.to_string())
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8], limits: &Limits) -> Result<T, DecodeError> {
    if nesting_exceeds(bytes, limits.max_depth) {
        return Err(DecodeError::new(DecodeErrorKind::TooDeep, "JSON"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = T::deserialize(&mut de)
        .map_err(|e| DecodeError::new(DecodeErrorKind::Malformed, e.to_string()))?;
    // Only whitespace may follow (quinn-style: reject trailing bytes).
    de.end()
        .map_err(|e| DecodeError::new(DecodeErrorKind::TrailingBytes, e.to_string()))?;
    Ok(value)
}

/// A cheap pre-scan: whether brackets nest deeper than `max` (strings skipped).
fn nesting_exceeds(bytes: &[u8], max: usize) -> bool {
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

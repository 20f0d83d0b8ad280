//! Percent-encoding as JavaScript's `encodeURIComponent` does it (channel names in REST paths,
//! RSL1; query values in the realtime URL, RTN2).

/// Appends `input` percent-encoded (all but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`) to `out`.
pub(crate) fn encode_into(input: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in input.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// `input` percent-encoded like `encodeURIComponent`.
#[cfg(test)]
pub(crate) fn encode(input: &str) -> String {
    let mut s = String::with_capacity(input.len());
    encode_into(input, &mut s);
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_encode_uri_component() {
        // As JS `encodeURIComponent`: `my channel/ü` → `my%20channel%2F%C3%BC`.
        assert_eq!(super::encode("my channel/ü"), "my%20channel%2F%C3%BC");
        assert_eq!(super::encode("a:b,c"), "a%3Ab%2Cc");
    }
}

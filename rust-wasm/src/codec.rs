//! JSON and msgpack encodings of [`ProtocolMessage`].

use crate::protocol::ProtocolMessage;

/// A wire format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Text frames, `format=json`.
    Json,
    /// Binary frames, `format=msgpack` (ably-js `useBinaryProtocol`).
    MsgPack,
}

/// Why a frame could not be decoded.
#[derive(Debug)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot decode protocol message: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}

/// Encodes a protocol message in the given format.
pub fn encode(msg: &ProtocolMessage, format: Format) -> Vec<u8> {
    match format {
        Format::Json => serde_json::to_vec(msg).expect("ProtocolMessage always serialises"),
        Format::MsgPack => rmp_serde::to_vec_named(msg).expect("ProtocolMessage always serialises"),
    }
}

/// Decodes one protocol message; never panics on bad input.
pub fn decode(bytes: &[u8], format: Format) -> Result<ProtocolMessage, DecodeError> {
    match format {
        Format::Json => serde_json::from_slice(bytes).map_err(|e| DecodeError(e.to_string())),
        Format::MsgPack => rmp_serde::from_slice(bytes).map_err(|e| DecodeError(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;

    fn ack() -> ProtocolMessage {
        ProtocolMessage {
            action: Some(Action::Ack),
            msg_serial: Some(41),
            count: Some(3),
            ..Default::default()
        }
    }

    #[test]
    fn json_uses_ably_field_names_and_numeric_actions() {
        let text = String::from_utf8(encode(&ack(), Format::Json)).unwrap();
        assert_eq!(text, r#"{"action":1,"msgSerial":41,"count":3}"#);
    }

    #[test]
    fn both_formats_round_trip() {
        for format in [Format::Json, Format::MsgPack] {
            let bytes = encode(&ack(), format);
            assert_eq!(decode(&bytes, format).unwrap(), ack(), "{format:?}");
        }
    }

    #[test]
    fn msgpack_is_a_map_with_named_fields() {
        let bytes = encode(&ack(), Format::MsgPack);
        assert_eq!(bytes[0], 0x83, "fixmap of 3 entries");
        assert_eq!(&bytes[1..8], b"\xa6action");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(decode(b"{\"action\":99}", Format::Json).is_err());
        assert!(decode(b"\xc1\xff", Format::MsgPack).is_err());
        assert!(decode(b"", Format::Json).is_err());
    }
}

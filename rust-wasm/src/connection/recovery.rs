//! Connection recovery (RTN16): the recovery key, in ably-js's format, and how a recovery is
//! judged.
//!
//! The key is the JSON text `{"connectionKey":…,"msgSerial":n,"channelSerials":{"<name>":"<serial>"}}`
//! (ably-js `connectionmanager.ts createRecoveryKey/decodeRecoveryKey`), so a key written by
//! either SDK can be read by the other.

use std::collections::BTreeMap;

use crate::codec::json::{push_str, push_u64};
use crate::codec::{self, opt, string, Decode, DecodeError, Format, Read, Reader};
use crate::protocol::ErrorInfo;

/// A recovery key (RTN16g1), as read from the `recover` option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RecoveryKey {
    /// The `connectionKey` to send as `recover=` (RTN16k).
    pub(crate) connection_key: String,
    /// The next `msgSerial` to use if the recovery succeeds (RTN16f).
    pub(crate) msg_serial: u64,
    /// Each channel's resume cursor, sent on its next ATTACH (RTN16j).
    pub(crate) channel_serials: BTreeMap<String, String>,
}

impl Decode for RecoveryKey {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let (mut key, mut serial, mut channels) = (None, None, BTreeMap::new());
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "connectionKey" => key = Some(string(r)?),
                "msgSerial" => serial = Some(r.u64()?),
                "channelSerials" => {
                    if let Some(mut s) = opt(r, |r| r.map())? {
                        while let Some(name) = r.next_key(&mut s)? {
                            let name = name.into_owned();
                            channels.insert(name, string(r)?);
                        }
                    }
                }
                _ => r.skip()?,
            }
        }
        Ok(RecoveryKey {
            connection_key: key.ok_or(DecodeError::malformed("missing connectionKey"))?,
            msg_serial: serial.ok_or(DecodeError::malformed("missing msgSerial"))?,
            channel_serials: channels,
        })
    }
}

/// What survives of a decoded key until the first CONNECTED.
#[derive(Clone, Debug)]
pub(crate) struct Recover {
    pub(crate) connection_key: String,
    pub(crate) msg_serial: u64,
}

impl RecoveryKey {
    /// Reads a key; an unreadable one is an error to report, never a panic (ably-js logs it and
    /// connects as a new connection).
    pub(crate) fn decode(text: &str) -> Result<RecoveryKey, ErrorInfo> {
        let invalid = ErrorInfo::invalid_recovery_key;
        let key: RecoveryKey = codec::decode(text.as_bytes(), Format::Json)
            .map_err(|e| invalid(&["not a recovery key: ", &e.message()].concat()))?;
        if key.connection_key.is_empty() {
            return Err(invalid("empty connectionKey"));
        }
        Ok(key)
    }
}

/// Writes a recovery key (RTN16g1), channels in the order given (ably-js: creation order).
/// Borrowed and unsorted: no map to build (a `BTreeMap` would also pull a sort into the wasm).
pub(crate) fn encode_key(
    connection_key: &str,
    msg_serial: u64,
    channel_serials: &[(&str, &str)],
) -> String {
    let mut out = Vec::with_capacity(64 + connection_key.len());
    out.extend_from_slice(b"{\"connectionKey\":");
    push_str(&mut out, connection_key);
    out.extend_from_slice(b",\"msgSerial\":");
    push_u64(&mut out, msg_serial);
    out.extend_from_slice(b",\"channelSerials\":{");
    for (i, (name, serial)) in channel_serials.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(&mut out, name);
        out.push(b':');
        push_str(&mut out, serial);
    }
    out.extend_from_slice(b"}}");
    // Only whole UTF-8 strings and ASCII were written.
    String::from_utf8(out).unwrap_or_default()
}

impl Recover {
    /// Whether CONNECTED with `connection_id` continues the recovered connection. As for a resume
    /// (RTN15c6), success means the server kept the connection: its id is one of the
    /// `!`-separated parts of the connection key (`<random>!<connectionId>` on the local server).
    /// A server that starts a new connection gives a new id, with or without an error.
    pub(crate) fn recovered_by(&self, connection_id: Option<&str>) -> bool {
        connection_id
            .filter(|id| !id.is_empty())
            .is_some_and(|id| self.connection_key.split('!').any(|part| part == id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_round_trips_in_ably_js_field_order() {
        let text = encode_key("abc!conn1", 7, &[("b", "s1"), ("a", "s\"2")]);
        assert_eq!(
            text,
            r#"{"connectionKey":"abc!conn1","msgSerial":7,"channelSerials":{"b":"s1","a":"s\"2"}}"#
        );
        let key = RecoveryKey::decode(&text).unwrap();
        assert_eq!(key.connection_key, "abc!conn1");
        assert_eq!(key.msg_serial, 7);
        assert_eq!(
            key.channel_serials,
            [("a".into(), "s\"2".into()), ("b".into(), "s1".into())].into()
        );
    }

    #[test]
    fn malformed_keys_are_errors() {
        for bad in [
            "",
            "not json",
            "{}",
            r#"{"connectionKey":"","msgSerial":1}"#,
            r#"{"connectionKey":"k","msgSerial":-1}"#,
            r#"{"connectionKey":"k","msgSerial":1,"channelSerials":{"a":1}}"#,
            r#"["k",1]"#,
        ] {
            let e = RecoveryKey::decode(bad).unwrap_err();
            assert_eq!((e.code, e.status_code), (40000, 400), "{bad}");
            assert!(e.message.contains("Invalid recovery key"), "{}", e.message);
        }
        // channelSerials may be absent.
        assert!(RecoveryKey::decode(r#"{"connectionKey":"k","msgSerial":0}"#).is_ok());
    }

    #[test]
    fn recovered_when_the_server_keeps_the_connection_id() {
        let r = Recover {
            connection_key: "x1y2z3!conn1".into(),
            msg_serial: 0,
        };
        assert!(r.recovered_by(Some("conn1")));
        assert!(!r.recovered_by(Some("conn2")));
        assert!(!r.recovered_by(Some("conn")));
        assert!(!r.recovered_by(Some("")));
        assert!(!r.recovered_by(None));
    }
}

//! Connection recovery with the `recover` option (RTN16): the key, success, failure, an
//! unreadable key, and `recover` never being sent again.

use super::harness::{frames, options, Harness};
use crate::codec::Format;
use crate::protocol::{Action, ErrorInfo, Message};
use crate::{ConnectionState as S, Event};

const FORMATS: [Format; 2] = [Format::Json, Format::MsgPack];

fn json(text: &str) -> crate::codec::Value {
    crate::codec::decode(text.as_bytes(), Format::Json).expect("the recovery key is JSON")
}

/// A client recovering `key` (not yet connected).
fn recovering(f: Format, key: &str) -> Harness {
    let mut o = options(f);
    o.recover = Some(key.to_owned());
    Harness::with_options(o)
}

const KEY: &str =
    r#"{"connectionKey":"abc!conn1","msgSerial":5,"channelSerials":{"a":"s2","b":"t9"}}"#;

#[test]
fn rtn16g_create_recovery_key_carries_key_msg_serial_and_channel_serials() {
    for f in FORMATS {
        let mut h = Harness::new(f);
        assert_eq!(
            h.conn.create_recovery_key(),
            None,
            "no key before CONNECTED"
        );
        h.connect();
        h.recv(frames::connected("conn1", "abc!conn1")).unwrap();
        let (a, b, c) = (
            h.conn.channel("a"),
            h.conn.channel("b"),
            h.conn.channel("c"),
        );
        for ch in [a, b] {
            h.conn.attach(h.now, ch).unwrap();
        }
        h.recv(frames::attached("a", "s1", false)).unwrap();
        h.recv(frames::attached("b", "t9", false)).unwrap();
        h.recv(frames::message("a", "s2", vec![Message::new("x", "y")]))
            .unwrap();
        let _ = c; // never attached: no serial, not in the key
        for n in 0..3 {
            h.conn
                .publish(h.now, a, vec![Message::new("n", format!("{n}"))])
                .unwrap();
        }
        h.drive();
        h.recv(frames::ack(0, 3)).unwrap();
        let key = h.conn.create_recovery_key().unwrap();
        assert_eq!(
            json(&key),
            json(
                r#"{"connectionKey":"abc!conn1","msgSerial":3,"channelSerials":{"a":"s2","b":"t9"}}"#
            )
        );
        // Still recoverable while disconnected (the key stays valid on the server).
        h.lose_transport();
        assert_eq!(h.conn.state(), S::Connecting);
        assert!(h.conn.create_recovery_key().is_some());
        // RTN16g2: nothing to recover once closed.
        h.conn.close(h.now);
        h.drive();
        assert_eq!(h.conn.create_recovery_key(), None);
    }
}

#[test]
fn rtn16_recover_success_keeps_connection_and_continues_msg_serial() {
    for f in FORMATS {
        let mut h = recovering(f, KEY);
        // RTN16j: the key's channels exist at once with their serials; the user attaches.
        assert_eq!(h.conn.channel_count(), 2);
        let a = h.conn.channel("a");
        assert_eq!(h.conn.channel_serial(a), Some("s2"));
        h.connect();
        let url = h.opens[0].clone();
        assert!(url.contains("&recover=abc!conn1&"), "RTN16k: {url}");
        assert!(!url.contains("resume="));
        h.conn.attach(h.now, a).unwrap();
        h.conn
            .publish(h.now, a, vec![Message::new("n", "queued")])
            .unwrap();
        h.drive();
        assert!(
            h.take_sent().is_empty(),
            "nothing goes out before CONNECTED"
        );

        h.recv(frames::connected("conn1", "def!conn1")).unwrap();
        assert_eq!(h.conn.state(), S::Connected);
        assert_eq!(h.conn.id(), Some("conn1"));
        assert_eq!(h.conn.error_reason(), None);
        let sent = h.take_sent();
        let attach = sent.iter().find(|p| p.action == Action::Attach).unwrap();
        assert_eq!(attach.channel.as_deref(), Some("a"));
        assert_eq!(attach.channel_serial.as_deref(), Some("s2"), "RTL4c1");
        let publish = sent.iter().find(|p| p.action == Action::Message).unwrap();
        assert_eq!(
            publish.msg_serial,
            Some(5),
            "RTN16f: msgSerial from the key"
        );
        h.recv(frames::attached("a", "s3", true)).unwrap();
        h.recv(frames::ack(5, 1)).unwrap();
        assert!(h.take_published()[0].1.is_ok());

        // A later reconnect resumes with the new key; `recover` is never sent again.
        h.lose_transport();
        let url = h.opens.last().unwrap();
        assert!(url.contains("&resume=def!conn1&"), "{url}");
        assert!(!url.contains("recover="), "{url}");
    }
}

#[test]
fn rtn16_recover_failure_is_a_new_connection_with_the_error() {
    for f in FORMATS {
        let mut h = recovering(f, KEY);
        let a = h.conn.channel("a");
        h.connect();
        h.conn.attach(h.now, a).unwrap();
        h.conn
            .publish(h.now, a, vec![Message::new("n", "queued")])
            .unwrap();
        let mut pm = frames::connected("conn7", "xyz!conn7");
        pm.error = Some(ErrorInfo::new(
            80008,
            400,
            "Unable to resume connection: key abc!conn1 unknown or expired",
        ));
        h.recv(pm).unwrap();
        assert_eq!(h.conn.state(), S::Connected);
        assert_eq!(h.conn.id(), Some("conn7"));
        assert_eq!(h.conn.error_reason().unwrap().code, 80008);
        let connected = h.events.iter().find_map(|e| match e {
            Event::ConnectionState(c) if c.current == S::Connected => c.reason.clone(),
            _ => None,
        });
        assert_eq!(connected.unwrap().code, 80008, "the change carries it too");
        let sent = h.take_sent();
        let publish = sent.iter().find(|p| p.action == Action::Message).unwrap();
        assert_eq!(publish.msg_serial, Some(0), "msgSerial reset");
        let attach = sent.iter().find(|p| p.action == Action::Attach).unwrap();
        assert_eq!(
            attach.channel_serial.as_deref(),
            Some("s2"),
            "the server decides about channel continuity"
        );
        h.lose_transport();
        let url = h.opens.last().unwrap();
        assert!(url.contains("&resume=xyz!conn7&") && !url.contains("recover="));
    }
}

#[test]
fn rtn16_new_connection_id_without_error_is_a_failed_recovery_too() {
    let mut h = recovering(Format::Json, KEY);
    h.connect();
    h.recv(frames::connected("conn8", "q!conn8")).unwrap();
    assert_eq!(h.conn.state(), S::Connected);
    assert_eq!(h.conn.error_reason().unwrap().code, 80008);
    let a = h.conn.channel("a");
    h.conn
        .publish(h.now, a, vec![Message::new("n", "x")])
        .unwrap();
    h.drive();
    assert_eq!(h.take_sent()[0].msg_serial, Some(0));
}

#[test]
fn rtn16_recover_is_retried_until_the_first_connected() {
    let mut h = recovering(Format::MsgPack, KEY);
    h.connect();
    h.lose_transport(); // the first attempt never got CONNECTED
    h.advance(std::time::Duration::from_secs(16));
    assert_eq!(h.opens.len(), 2);
    assert!(h.opens[1].contains("&recover=abc!conn1&"), "{}", h.opens[1]);
    h.recv(frames::connected("conn1", "n!conn1")).unwrap();
    assert_eq!(h.conn.error_reason(), None);
}

#[test]
fn malformed_recovery_key_is_reported_and_ignored() {
    for (f, bad) in [
        (Format::Json, "not json at all"),
        (Format::MsgPack, r#"{"connectionKey":"k!c"}"#), // no msgSerial
        (Format::Json, r#"{"connectionKey":"","msgSerial":1}"#),
    ] {
        let mut h = recovering(f, bad);
        // Exposed at once, before any connection attempt.
        let e = h.conn.error_reason().cloned().unwrap();
        assert_eq!((e.code, e.status_code), (40000, 400));
        assert!(e.message.contains("Invalid recovery key"), "{}", e.message);
        assert_eq!(h.conn.channel_count(), 0);
        h.connect();
        assert!(!h.opens[0].contains("recover="), "{}", h.opens[0]);
        h.recv(frames::connected("conn1", "k!conn1")).unwrap();
        assert_eq!(h.conn.state(), S::Connected, "connects normally");
        assert_eq!(h.conn.error_reason(), Some(&e), "and still says why");
        let ch = h.conn.channel("a");
        h.conn
            .publish(h.now, ch, vec![Message::new("n", "x")])
            .unwrap();
        h.drive();
        assert_eq!(h.take_sent()[0].msg_serial, Some(0));
    }
}

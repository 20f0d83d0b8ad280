//! Codec round trips for every action and payload encoding (TR2, RSL4, RSL6).

use std::collections::BTreeMap;

use crate::codec::{decode, decode_with, encode, DecodeErrorKind, Format, Limits, Value};
use crate::protocol::*;

const FORMATS: [Format; 2] = [Format::Json, Format::MsgPack];

fn round_trip(pm: &ProtocolMessage) {
    for f in FORMATS {
        let bytes = encode(pm, f);
        let back: ProtocolMessage = decode(&bytes, f).unwrap_or_else(|e| panic!("{f:?}: {e}"));
        assert_eq!(&back, pm, "{f:?}");
    }
}

fn full(action: Action) -> ProtocolMessage {
    ProtocolMessage {
        action,
        flags: Some(Flags::DEFAULT_MODES | Flags::RESUMED),
        count: Some(2),
        error: Some(ErrorInfo::new(40140, 401, "token error")),
        id: Some("conn1:7".into()),
        channel: Some("my channel/ü".into()),
        channel_serial: Some("serial:1".into()),
        connection_id: Some("conn1".into()),
        connection_key: None,
        msg_serial: Some(u64::from(u32::MAX) + 1),
        timestamp: Some(1_700_000_000_000),
        messages: vec![Message::new("n", "text")],
        presence: vec![PresenceMessage {
            action: PresenceAction::Enter,
            client_id: Some("alice".into()),
            data: Data::Binary(vec![0, 255]),
            ..Default::default()
        }],
        connection_details: Some(ConnectionDetails {
            connection_key: Some("conn1!1".into()),
            max_idle_interval: Some(15_000),
            connection_state_ttl: Some(120_000),
            ..Default::default()
        }),
        params: Some(BTreeMap::from([("rewind".into(), "1".into())])),
        res: Some(vec![PublishResult {
            serials: vec![Some("s1".into()), None],
        }]),
        auth: Some(AuthDetails {
            access_token: "tok".into(),
        }),
    }
}

#[test]
fn tr2_every_action_round_trips_sparse_and_full() {
    for &action in Action::ALL.iter().chain([Action::Unknown(200)].iter()) {
        round_trip(&ProtocolMessage::new(action));
        round_trip(&full(action));
    }
}

#[test]
fn json_is_sparse_camel_case_with_numeric_action() {
    let pm = ProtocolMessage {
        action: Action::Ack,
        msg_serial: Some(41),
        count: Some(3),
        ..Default::default()
    };
    let text = String::from_utf8(encode(&pm, Format::Json)).unwrap();
    assert_eq!(text, r#"{"action":1,"count":3,"msgSerial":41}"#);
}

#[test]
fn msgpack_is_a_named_map() {
    let bytes = encode(&ProtocolMessage::new(Action::Ack), Format::MsgPack);
    assert_eq!(bytes, b"\x81\xa6action\x01");
}

#[test]
fn wasm_smoke_object_survives_json_msgpack_json() {
    let input = br#"{"action":1,"msgSerial":7,"count":2}"#;
    let pm: ProtocolMessage = decode(input, Format::Json).unwrap();
    let back: ProtocolMessage = decode(&encode(&pm, Format::MsgPack), Format::MsgPack).unwrap();
    let out = String::from_utf8(encode(&back, Format::Json)).unwrap();
    assert_eq!(out, r#"{"action":1,"count":2,"msgSerial":7}"#);
}

fn payloads() -> Vec<Data> {
    vec![
        Data::None,
        Data::Text(String::new()),
        Data::Text("héllo".into()),
        Data::Binary(vec![]),
        Data::Binary((0..=255).collect()),
        Data::Json(r#"{"a":[1,2,{"b":null}]}"#.into()),
        Data::Json("[]".into()),
    ]
}

#[test]
fn rsl4_rsl6_every_payload_round_trips_in_both_formats() {
    for data in payloads() {
        let pm = ProtocolMessage {
            action: Action::Message,
            messages: vec![Message {
                data: data.clone(),
                ..Message::default()
            }],
            ..Default::default()
        };
        round_trip(&pm);
    }
}

#[test]
fn rsl4_wire_shapes() {
    let msg = |data| ProtocolMessage {
        action: Action::Message,
        messages: vec![Message {
            data,
            ..Message::default()
        }],
        ..Default::default()
    };
    let json = |d| String::from_utf8(encode(&msg(d), Format::Json)).unwrap();
    assert!(json(Data::Binary(vec![1, 2, 3])).contains(r#""data":"AQID","encoding":"base64""#));
    assert!(json(Data::Json("{}".into())).contains(r#""data":"{}","encoding":"json""#));
    assert!(json(Data::Text("x".into())).contains(r#""data":"x"}"#));
    let packed = encode(&msg(Data::Binary(vec![1, 2, 3])), Format::MsgPack);
    let needle = b"\xa4data\xc4\x03\x01\x02\x03";
    assert!(
        packed.windows(needle.len()).any(|w| w == needle),
        "bin 8 payload"
    );
    assert!(
        !packed.windows(8).any(|w| w == b"encoding"),
        "no base64 step in msgpack"
    );
}

#[test]
fn rsl6_incoming_encodings_are_decoded() {
    let frame = br#"{"action":15,"messages":[
        {"data":"AQID","encoding":"base64"},
        {"data":"eyJhIjoxfQ==","encoding":"json/utf-8/base64"},
        {"data":"{\"a\":1}","encoding":"json"},
        {"data":"AQID","encoding":"cipher+aes-128-cbc/base64"},
        {"data":{"raw":true}}]}"#;
    let pm: ProtocolMessage = decode(frame, Format::Json).unwrap();
    let d: Vec<_> = pm
        .messages
        .iter()
        .map(|m| (&m.data, m.encoding.as_deref()))
        .collect();
    assert_eq!(d[0], (&Data::Binary(vec![1, 2, 3]), None));
    assert_eq!(d[1], (&Data::Json(r#"{"a":1}"#.into()), None));
    assert_eq!(d[2], (&Data::Json(r#"{"a":1}"#.into()), None));
    assert_eq!(
        d[3],
        (&Data::Binary(vec![1, 2, 3]), Some("cipher+aes-128-cbc"))
    );
    assert_eq!(d[4], (&Data::Json(r#"{"raw":true}"#.into()), None));
    // msgpack: a base64 string with encoding base64 is accepted too (RSL6a).
    let pm: ProtocolMessage = decode(&encode(&pm, Format::MsgPack), Format::MsgPack).unwrap();
    assert_eq!(pm.messages[0].data, Data::Binary(vec![1, 2, 3]));
}

#[test]
fn unknown_fields_ignored_and_size_stripped() {
    let frame =
        br#"{"action":15,"future":{"x":[1]},"messages":[{"name":"a","size":3,"action":0}]}"#;
    let pm: ProtocolMessage = decode(frame, Format::Json).unwrap();
    assert_eq!(pm.messages[0].name.as_deref(), Some("a"));
    assert!(!String::from_utf8(encode(&pm, Format::Json))
        .unwrap()
        .contains("size"));
}

#[test]
fn bad_frames_are_clear_errors() {
    let e = |b: &[u8], f| decode::<ProtocolMessage>(b, f).unwrap_err().kind;
    assert_eq!(e(b"", Format::Json), DecodeErrorKind::Malformed);
    assert_eq!(
        e(b"{\"action\":1} x", Format::Json),
        DecodeErrorKind::TrailingBytes
    );
    assert_eq!(
        e(b"{\"action\":\"one\"}", Format::Json),
        DecodeErrorKind::Malformed
    );
    assert_eq!(e(b"{}", Format::Json), DecodeErrorKind::Malformed);
    assert_eq!(e(b"\xc1", Format::MsgPack), DecodeErrorKind::Malformed);
    assert_eq!(
        e(b"\x81\xa6action\x01\x00", Format::MsgPack),
        DecodeErrorKind::TrailingBytes
    );
    // A str32 claiming 4 GiB in a 10-byte frame: an error, not an allocation.
    assert_eq!(
        e(b"\x81\xa6action\xdb\xff\xff\xff\xff", Format::MsgPack),
        DecodeErrorKind::Malformed
    );
    let deep = format!(
        "{{\"action\":15,\"messages\":[{{\"extras\":{}1{}}}]}}",
        "[".repeat(100),
        "]".repeat(100)
    );
    assert_eq!(e(deep.as_bytes(), Format::Json), DecodeErrorKind::TooDeep);
    let limits = Limits {
        max_frame_size: 8,
        ..Limits::default()
    };
    let big = decode_with::<ProtocolMessage>(br#"{"action":1}"#, Format::Json, &limits);
    assert_eq!(big.unwrap_err().kind, DecodeErrorKind::TooLarge);
}

#[test]
fn msgpack_deep_nesting_is_bounded() {
    // 200 nested fixarrays inside extras.
    let mut b = b"\x82\xa6action\x0f\xa8messages\x91\x81\xa6extras".to_vec();
    b.extend(std::iter::repeat_n(0x91u8, 200));
    b.push(0x01);
    let err = decode::<ProtocolMessage>(&b, Format::MsgPack).unwrap_err();
    assert_eq!(err.kind, DecodeErrorKind::TooDeep);
}

/// The same nesting limit in both formats: depth counts the frame's own map as 1, so
/// frame map → messages array → message map → k arrays in extras is 3 + k deep.
#[test]
fn nesting_limit_is_the_same_in_json_and_msgpack() {
    let max = Limits::default().max_depth;
    let frames = |k: usize| {
        let json = format!(
            r#"{{"action":15,"messages":[{{"extras":{}1{}}}]}}"#,
            "[".repeat(k),
            "]".repeat(k)
        );
        let mut mp = b"\x82\xa6action\x0f\xa8messages\x91\x81\xa6extras".to_vec();
        mp.extend(std::iter::repeat_n(0x91u8, k));
        mp.push(0x01);
        (json.into_bytes(), mp)
    };
    let (json, mp) = frames(max - 3);
    decode::<ProtocolMessage>(&json, Format::Json).expect("JSON at the limit");
    decode::<ProtocolMessage>(&mp, Format::MsgPack).expect("msgpack at the limit");
    let (json, mp) = frames(max - 2);
    let kind = |b: &[u8], f| decode::<ProtocolMessage>(b, f).err().map(|e| e.kind);
    assert_eq!(
        kind(&json, Format::Json),
        Some(DecodeErrorKind::TooDeep),
        "JSON"
    );
    assert_eq!(
        kind(&mp, Format::MsgPack),
        Some(DecodeErrorKind::TooDeep),
        "msgpack"
    );
}

#[test]
fn json_strings_escape_and_unescape_as_json_stringify_does() {
    let name = "q\"b\\s/\n\r\t\u{8}\u{c}\u{1}\u{7f}é😀";
    let pm = ProtocolMessage {
        channel: Some(name.into()),
        ..ProtocolMessage::new(Action::Attach)
    };
    let text = String::from_utf8(encode(&pm, Format::Json)).unwrap();
    assert_eq!(
        text,
        "{\"action\":10,\"channel\":\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\u{7f}é😀\"}"
    );
    let back: ProtocolMessage = decode(text.as_bytes(), Format::Json).unwrap();
    assert_eq!(back.channel.as_deref(), Some(name));
    // \u escapes, a surrogate pair, and `\/`.
    let pm: ProtocolMessage = decode(
        br#"{"action":10,"channel":"\u00e9\ud83d\ude00\/"}"#,
        Format::Json,
    )
    .unwrap();
    assert_eq!(pm.channel.as_deref(), Some("é😀/"));
    for bad in [
        &br#"{"action":10,"channel":"\ud83d"}"#[..], // lone surrogate
        br#"{"action":10,"channel":"\x"}"#,
        b"{\"action\":10,\"channel\":\"a\nb\"}", // raw control character
        b"{\"action\":10,\"channel\":\"\xff\"}", // not UTF-8
        br#"{"action":01}"#,
        br#"{"action":1,}"#,
        br#"{"action":1.5}"#,
        br#"{"action":-1}"#,
        br#"{"action":256}"#,
        br#"{"action":1"#,
    ] {
        let e = decode::<ProtocolMessage>(bad, Format::Json).unwrap_err();
        assert_eq!(
            e.kind,
            DecodeErrorKind::Malformed,
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn json_numbers_keep_their_kind_in_extras() {
    let frame = br#"{"action":15,"messages":[{"extras":{"a":[0,-1,1.5,-2e3,18446744073709551615,18446744073709551616,true,null]}}]}"#;
    let pm: ProtocolMessage = decode(frame, Format::Json).unwrap();
    let extras = pm.messages[0].extras.as_ref().unwrap();
    assert_eq!(
        extras["a"],
        Value::Array(vec![
            Value::Uint(0),
            Value::Int(-1),
            Value::Float(1.5),
            Value::Float(-2000.0),
            Value::Uint(u64::MAX),
            Value::Float(18446744073709551616.0),
            Value::Bool(true),
            Value::Null,
        ])
    );
    let text = extras.to_json();
    assert_eq!(
        text,
        r#"{"a":[0,-1,1.5,-2000.0,18446744073709551615,18446744073709552000.0,true,null]}"#
    );
    round_trip(&pm);
}

#[test]
fn msgpack_integers_use_the_smallest_form() {
    let ts = |t: i64| {
        let pm = ProtocolMessage {
            timestamp: Some(t),
            ..ProtocolMessage::new(Action::Heartbeat)
        };
        let b = encode(&pm, Format::MsgPack);
        let at = b.windows(9).position(|w| w == b"timestamp").unwrap() + 9;
        let back: ProtocolMessage = decode(&b, Format::MsgPack).unwrap();
        assert_eq!(back.timestamp, Some(t));
        b[at..].to_vec()
    };
    assert_eq!(ts(5), [0x05]);
    assert_eq!(ts(-5), [0xfb]);
    assert_eq!(ts(200), [0xcc, 200]);
    assert_eq!(ts(-100), [0xd0, 0x9c]);
    assert_eq!(ts(65_535), [0xcd, 0xff, 0xff]);
    assert_eq!(ts(-129), [0xd1, 0xff, 0x7f]);
    assert_eq!(ts(1 << 20), [0xce, 0, 0x10, 0, 0]);
    assert_eq!(ts(1 << 40), [0xcf, 0, 0, 1, 0, 0, 0, 0, 0]);
    assert_eq!(ts(i64::MIN)[0], 0xd3);
}

#[test]
fn msgpack_unknown_fields_of_every_type_are_skipped() {
    // {"x": [ext8, fixext4, f32, f64, i64, bin8, str8, map16{1: nil}], "action": 1}
    let mut b = b"\x82\xa1x\x98".to_vec();
    b.extend_from_slice(b"\xc7\x02\x05ab"); // ext8, type 5, 2 bytes
    b.extend_from_slice(b"\xd6\x01abcd"); // fixext4
    b.extend_from_slice(b"\xca\x3f\x80\x00\x00"); // f32 1.0
    b.extend_from_slice(b"\xcb\x3f\xf0\0\0\0\0\0\0"); // f64 1.0
    b.extend_from_slice(b"\xd3\xff\xff\xff\xff\xff\xff\xff\xff"); // i64 -1
    b.extend_from_slice(b"\xc4\x01\x00"); // bin8
    b.extend_from_slice(b"\xd9\x01z"); // str8
    b.extend_from_slice(b"\xde\x00\x01\x01\xc0"); // map16 with an integer key
    b.extend_from_slice(b"\xa6action\x01");
    let pm: ProtocolMessage = decode(&b, Format::MsgPack).unwrap();
    assert_eq!(pm.action, Action::Ack);
    // A claimed length past the end is an error, never an allocation.
    for bad in [
        &b"\x81\xa6action\xc6\xff\xff\xff\xff"[..],
        b"\x81\xa1x\xdd\xff\xff\xff\xff",
        b"\x81\xa1x\xc9\xff\xff\xff\xff\x01",
    ] {
        let e = decode::<ProtocolMessage>(bad, Format::MsgPack).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::Malformed);
    }
}

#[test]
fn msgpack_str_that_is_not_utf8_is_kept_as_binary_data() {
    let b = b"\x82\xa6action\x0f\xa8messages\x91\x81\xa4data\xa2\xff\xfe";
    let pm: ProtocolMessage = decode(b, Format::MsgPack).unwrap();
    assert_eq!(pm.messages[0].data, Data::Binary(vec![0xff, 0xfe]));
}

#[test]
fn json_floats_are_written_shortest_and_read_back_exactly() {
    let text = |f: f64| {
        let mut out = Vec::new();
        crate::codec::json::push_f64(&mut out, f);
        String::from_utf8(out).unwrap()
    };
    for (f, want) in [
        (1.5, "1.5"),
        (0.1, "0.1"),
        (-2000.0, "-2000.0"),
        (1e20, "100000000000000000000.0"),
        (1e21, "1.0e21"),
        (1e22, "1.0e22"),
        (1.25e-7, "1.25e-7"),
        (0.000123, "0.000123"),
        (123.456, "123.456"),
        (-0.0, "-0.0"),
        (5e-324, "5.0e-324"),
        (1.0 / 3.0, "0.3333333333333333"),
        (18446744073709551616.0, "18446744073709552000.0"),
    ] {
        assert_eq!(text(f), want, "{f:e}");
    }
    // Far exponents and random bit patterns: every finite float reads back as itself, in at
    // most 17 significant digits (not always the shortest there: powers of ten are inexact).
    for f in [f64::MAX, f64::MIN_POSITIVE, 1e-310, 4.9e-324, 1e300] {
        assert_eq!(text(f).parse::<f64>().unwrap(), f);
    }
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = f64::from_bits(x);
        if f.is_finite() {
            let t = text(f);
            assert_eq!(t.parse::<f64>().unwrap().to_bits(), f.to_bits(), "{t}");
        }
    }
}

/// The eight-bytes-at-a-time scan must find every byte that needs an escape, at every offset of a
/// word, next to multi-byte UTF-8: compared with the plain one-byte-at-a-time definition.
#[test]
fn json_escaping_finds_every_special_byte_at_every_offset() {
    fn reference(s: &str) -> String {
        let mut out = String::from("\"");
        for ch in s.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => out.push_str(&std::format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
    let specials = [
        '"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', ' ', '!', '#', '[', ']', 'é', '😀',
    ];
    for len in 0..40 {
        for at in 0..len {
            for &special in &specials {
                let s: String = (0..len)
                    .map(|i| if i == at { special } else { 'a' })
                    .collect();
                let mut out = Vec::new();
                crate::codec::json::push_str(&mut out, &s);
                assert_eq!(
                    String::from_utf8(out.clone()).unwrap(),
                    reference(&s),
                    "{s:?}"
                );
                // The reader skips plain bytes eight at a time too: it must stop at every quote,
                // backslash and control byte, and read back exactly what was written.
                let back: Value = crate::decode(&out, Format::Json).unwrap();
                assert_eq!(back, Value::Str(s.clone()), "{s:?}");
                let mut raw = Vec::from(&b"\""[..]);
                raw.extend_from_slice(s.as_bytes());
                raw.push(b'"');
                let unescaped = crate::decode::<Value>(&raw, Format::Json);
                match special {
                    '"' | '\\' => {
                        assert!(unescaped.is_err(), "a raw quote or lone backslash {s:?}")
                    }
                    c if (c as u32) < 0x20 => {
                        assert!(unescaped.is_err(), "a raw control byte {s:?}")
                    }
                    _ => assert_eq!(unescaped.unwrap(), Value::Str(s.clone()), "{s:?}"),
                }
            }
        }
    }
}

//! Golden frames shared with the Node server tests (`tests/fixtures/`, see its README).
//! Every JSON/msgpack pair must decode to the same ProtocolMessage; canonical pairs must be
//! reproduced byte for byte by our encoder.

use std::path::PathBuf;

use ably_wasm::codec::Value;
use ably_wasm::{decode, encode, Action, Data, Format, ProtocolMessage};

struct Entry {
    name: String,
    direction: String,
    canonical: bool,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load(name: &str) -> (Vec<u8>, Vec<u8>, ProtocolMessage) {
    let json = std::fs::read(dir().join(format!("{name}.json"))).unwrap();
    let pack = std::fs::read(dir().join(format!("{name}.msgpack"))).unwrap();
    let a: ProtocolMessage =
        decode(&json, Format::Json).unwrap_or_else(|e| panic!("{name}.json: {e}"));
    let b: ProtocolMessage =
        decode(&pack, Format::MsgPack).unwrap_or_else(|e| panic!("{name}.msgpack: {e}"));
    assert_eq!(
        a, b,
        "{name}: JSON and msgpack forms decode to the same message"
    );
    (json, pack, a)
}

fn manifest() -> Vec<Entry> {
    let text = std::fs::read(dir().join("manifest.json")).unwrap();
    let Value::Array(entries) = decode(&text, Format::Json).unwrap() else {
        panic!("the manifest is an array")
    };
    entries
        .iter()
        .map(|e| Entry {
            name: e["name"].as_str().unwrap().to_owned(),
            direction: e["direction"].as_str().unwrap().to_owned(),
            canonical: e["canonical"] == Value::Bool(true),
        })
        .collect()
}

/// `v` with every object's keys sorted and `size` dropped from messages: key order is not
/// part of a JSON value.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        Value::Object(kv) => {
            let mut kv: Vec<_> = kv.iter().map(|(k, v)| (k.clone(), canonical(v))).collect();
            kv.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(kv)
        }
        v => v.clone(),
    }
}

#[test]
fn every_pair_agrees_and_canonical_ones_are_byte_exact() {
    let entries = manifest();
    assert!(entries.len() >= 20);
    for e in &entries {
        let (json, pack, pm) = load(&e.name);
        let ours_json = encode(&pm, Format::Json);
        let ours_pack = encode(&pm, Format::MsgPack);
        if e.canonical {
            assert_eq!(
                String::from_utf8_lossy(&ours_json),
                String::from_utf8_lossy(&json),
                "{}",
                e.name
            );
            assert_eq!(ours_pack, pack, "{}: msgpack bytes", e.name);
        } else if e.direction == "client-to-server" {
            // ably-js key order differs and it adds `size`; compare as values without `size`.
            let mut theirs: Value = decode(&json, Format::Json).unwrap();
            if let Value::Object(kv) = &mut theirs {
                for (k, ms) in kv {
                    if let (true, Value::Array(ms)) = (k == "messages", ms) {
                        for m in ms {
                            if let Value::Object(m) = m {
                                m.retain(|(k, _)| k != "size");
                            }
                        }
                    }
                }
            }
            let ours: Value = decode(&ours_json, Format::Json).unwrap();
            assert_eq!(canonical(&ours), canonical(&theirs), "{}", e.name);
        }
        let back: ProtocolMessage = decode(&ours_pack, Format::MsgPack).unwrap();
        assert_eq!(back, pm, "{}: msgpack round trip", e.name);
        let back: ProtocolMessage = decode(&ours_json, Format::Json).unwrap();
        assert_eq!(back, pm, "{}: JSON round trip", e.name);
        assert!(["server-to-client", "client-to-server"].contains(&e.direction.as_str()));
    }
}

#[test]
fn every_action_ably_uses_has_a_fixture() {
    let mut seen: Vec<u8> = manifest()
        .iter()
        .map(|e| load(&e.name).2.action.as_u8())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    for a in [0, 1, 2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17] {
        assert!(seen.contains(&a), "no fixture for action {a}");
    }
}

#[test]
fn delivered_payloads_decode_to_their_types() {
    let (_, _, pm) = load("message-delivery");
    assert_eq!(pm.action, Action::Message);
    let data: Vec<&Data> = pm.messages.iter().map(|m| &m.data).collect();
    assert_eq!(data[0], &Data::Text("héllo".into()));
    assert_eq!(data[1], &Data::Json(r#"{"a":[1,2,{"b":null}]}"#.into()));
    assert_eq!(data[2], &Data::Binary(vec![0, 1, 2, 253, 254, 255]));
    assert!(
        pm.messages.iter().all(|m| m.encoding.is_none()),
        "every step decoded"
    );
    let (_, _, pm) = load("message-utf8");
    assert_eq!(pm.messages[0].data, Data::Text("hé".into()));
    let (_, _, pm) = load("client-publish-binary");
    assert_eq!(
        pm.messages[0].data,
        Data::Binary(vec![0, 1, 2, 253, 254, 255])
    );
    let (_, _, pm) = load("client-publish-json");
    assert_eq!(
        pm.messages[0].data.parse_json().unwrap().unwrap()["a"][0],
        Value::Uint(1)
    );
    let (_, _, pm) = load("connected");
    let d = pm.connection_details.unwrap();
    assert_eq!(
        (d.max_idle_interval, d.connection_key.as_deref()),
        (Some(15_000), Some("conn1!1"))
    );
}

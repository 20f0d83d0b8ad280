//! Golden frames shared with the Node server tests (`tests/fixtures/`, see its README).
//! Every JSON/msgpack pair must decode to the same ProtocolMessage; canonical pairs must be
//! reproduced byte for byte by our encoder.

use std::path::PathBuf;

use ably_wasm::{decode, encode, Action, Data, Format, ProtocolMessage};
use serde::Deserialize;

#[derive(Deserialize)]
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
    serde_json::from_slice(&text).unwrap()
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
            let mut theirs: serde_json::Value = serde_json::from_slice(&json).unwrap();
            if let Some(ms) = theirs.get_mut("messages").and_then(|m| m.as_array_mut()) {
                for m in ms {
                    m.as_object_mut().unwrap().remove("size");
                }
            }
            let ours: serde_json::Value = serde_json::from_slice(&ours_json).unwrap();
            assert_eq!(ours, theirs, "{}", e.name);
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
        pm.messages[0]
            .data
            .parse_json::<serde_json::Value>()
            .unwrap()
            .unwrap()["a"][0],
        1
    );
    let (_, _, pm) = load("connected");
    let d = pm.connection_details.unwrap();
    assert_eq!(
        (d.max_idle_interval, d.connection_key.as_deref()),
        (Some(15_000), Some("conn1!1"))
    );
}

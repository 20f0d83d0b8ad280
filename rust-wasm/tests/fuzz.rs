//! Seeded fuzzing: random and mutated bytes never panic either decoder or the
//! connection; random well-formed messages round-trip in both formats. Deterministic: a failure
//! reproduces with the printed seed.

use std::path::PathBuf;

use ably_wasm::codec::Value;
use ably_wasm::{
    decode, encode, Action, ClientOptions, Connection, Data, ErrorInfo, Flags, Format, Instant,
    Message, ProtocolMessage, Transmit,
};

/// xorshift64*: tiny, seeded, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
    fn string(&mut self) -> String {
        const CHARS: &[&str] = &["a", "Z", "0", " ", ":", "/", "ü", "😀", "\"", "\\", "\n"];
        (0..self.below(12))
            .map(|_| CHARS[self.below(CHARS.len())])
            .collect()
    }
    fn opt_string(&mut self) -> Option<String> {
        (self.below(2) == 0).then(|| self.string())
    }
}

const FORMATS: [Format; 2] = [Format::Json, Format::MsgPack];

fn fixtures() -> Vec<(Format, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("msgpack") => Format::MsgPack,
            Some("json") if !path.ends_with("manifest.json") => Format::Json,
            _ => continue,
        };
        out.push((format, std::fs::read(path).unwrap()));
    }
    assert!(out.len() >= 40);
    out
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(5) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            1 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            2 => b.truncate(rng.below(b.len() + 1)),
            3 => {
                let i = rng.below(b.len() + 1);
                let n = 1 + rng.below(8);
                let junk = rng.bytes(n);
                b.splice(i..i, junk);
            }
            _ if !b.is_empty() => {
                // Duplicate a slice (nested structure confusion).
                let i = rng.below(b.len());
                let j = (i + rng.below(16)).min(b.len());
                let chunk = b[i..j].to_vec();
                b.splice(i..i, chunk);
            }
            _ => {}
        }
    }
    b
}

fn connected(format: Format) -> Connection {
    let mut o = ClientOptions::new("app.key:secret");
    o.format = format;
    let mut c = Connection::new(o);
    c.connect(Instant::from_millis(0));
    let pm = ProtocolMessage {
        action: Action::Connected,
        connection_id: Some("c".into()),
        connection_details: Some(Default::default()),
        ..Default::default()
    };
    c.handle_frame(Instant::from_millis(1), &encode(&pm, format))
        .unwrap();
    let ch = c.channel("room");
    c.attach(Instant::from_millis(1), ch).unwrap();
    c
}

fn drain(c: &mut Connection, buf: &mut Vec<u8>) {
    while let Some(t) = c.poll_transmit(buf) {
        let _: Transmit = t;
    }
    while c.poll_event().is_some() {}
}

#[test]
fn random_bytes_never_panic_either_decoder() {
    let mut rng = Rng(0x0DDB_1A5E_5BAD_5EED);
    for _ in 0..20_000 {
        let len = rng.below(300);
        let mut b = rng.bytes(len);
        // Bias half the inputs towards plausible starts: a map / an object.
        if rng.below(2) == 0 && !b.is_empty() {
            b[0] = if rng.below(2) == 0 {
                0x80 | (rng.below(16) as u8)
            } else {
                b'{'
            };
        }
        for f in FORMATS {
            let _ = decode::<ProtocolMessage>(&b, f);
            let _ = decode::<Vec<Message>>(&b, f);
        }
    }
}

#[test]
fn mutated_fixtures_never_panic_decoders_or_the_connection() {
    let mut rng = Rng(0xF1C5_7A11_0000_0001);
    let mut buf = Vec::new();
    for (format, bytes) in fixtures() {
        let mut conn = connected(format);
        for i in 0..1_500u64 {
            let m = mutate(&mut rng, &bytes);
            let _ = decode::<ProtocolMessage>(&m, format);
            let _ = conn.handle_frame(Instant::from_millis(2 + i), &m);
            drain(&mut conn, &mut buf);
            if i % 100 == 0 {
                conn.handle_timeout(Instant::from_millis(2 + i * 1000));
                drain(&mut conn, &mut buf);
            }
        }
    }
}

fn random_data(rng: &mut Rng) -> Data {
    match rng.below(4) {
        0 => Data::None,
        1 => Data::Text(rng.string()),
        2 => {
            let n = rng.below(40);
            Data::Binary(rng.bytes(n))
        }
        _ => Data::json(&Value::Object(vec![
            ("k".into(), Value::Str(rng.string())),
            (
                "n".into(),
                Value::Array(vec![Value::Uint(rng.below(9) as u64), Value::Null]),
            ),
        ])),
    }
}

fn random_message(rng: &mut Rng) -> ProtocolMessage {
    let messages = (0..rng.below(4))
        .map(|_| Message {
            id: rng.opt_string(),
            name: rng.opt_string(),
            data: random_data(rng),
            client_id: rng.opt_string(),
            timestamp: (rng.below(2) == 0).then(|| rng.next() as i64 >> 1),
            extras: (rng.below(3) == 0).then(|| {
                let headers = Value::Object(vec![("h".into(), Value::Str(rng.string()))]);
                Value::Object(vec![("headers".into(), headers)])
            }),
            ..Default::default()
        })
        .collect();
    ProtocolMessage {
        action: Action::from_u8(rng.below(24) as u8),
        flags: (rng.below(2) == 0).then(|| Flags(rng.next() as u32)),
        count: (rng.below(2) == 0).then(|| rng.next() as u32),
        error: (rng.below(4) == 0)
            .then(|| ErrorInfo::new(rng.next() as u32, rng.next() as u16, rng.string())),
        id: rng.opt_string(),
        channel: rng.opt_string(),
        channel_serial: rng.opt_string(),
        connection_id: rng.opt_string(),
        msg_serial: (rng.below(2) == 0).then(|| rng.next()),
        timestamp: (rng.below(2) == 0).then(|| rng.next() as i64),
        messages,
        ..Default::default()
    }
}

#[test]
fn random_messages_round_trip_in_both_formats() {
    let mut rng = Rng(0x5EED_0000_0000_0042);
    for i in 0..3_000 {
        let pm = random_message(&mut rng);
        for f in FORMATS {
            let bytes = encode(&pm, f);
            let back: ProtocolMessage =
                decode(&bytes, f).unwrap_or_else(|e| panic!("case {i} {f:?}: {e}\n{pm:?}"));
            assert_eq!(back, pm, "case {i} {f:?}");
        }
    }
}

//! The Rust core's deterministic tier: instruction counts of its hot paths under Valgrind's
//! Callgrind, through [gungraun](https://gungraun.github.io/gungraun/). An instruction count does
//! not depend on the machine's load (unlike the criterion benches in `sdk_benchmarks.rs` or the
//! browser lab), so a +2% change is a real change of the code, and the gate can say so at once.
//!
//! ```sh
//! npm run bench:instructions                    # run, compare with bench/instructions.json (fails at +2%)
//! npm run bench:instructions -- --write-baseline   # refresh the baseline after an intended change
//! ```
//!
//! (`src/gate/instructions.ts` drives `cargo bench --bench instructions` with the pinned
//! `gungraun-runner`; running it by hand needs `GUNGRAUN_RUNNER` set to that binary.)
//!
//! What is counted — only the benchmark function's body; the setup (building frames, a connected
//! client) runs in the same process but outside the counted region:
//! - `codec_encode`/`codec_decode`: the lab's frames through the public codec entry points
//!   (`ably_wasm::{encode_into, decode}`): a publish of 1 × 100 B (publish→ACK latency), 10 × 100 B
//!   (batch throughput), 1 × 1000 B; decoding, the server's MESSAGE frame for the same (with `id`,
//!   `connectionId`, `timestamp`, `channelSerial`, as the local server sends it) and the shared
//!   golden frame `tests/fixtures/message-delivery.*`;
//! - `publish_ack`: 100 × publish → MESSAGE frame out (`poll_transmit`) → ACK frame in
//!   (`handle_frame`) → `Event::Published`, on a connected client with an attached channel;
//! - `deliver`: 100 inbound MESSAGE frames of 10 × 100 B on an attached channel →
//!   `Event::Messages` (`handle_frame`, `poll_event`).
//!
//! Drives the core only through its public API (`Connection`, `encode_into`, `decode`), so codec
//! rewrites behind it are measured rather than broken.

use std::hint::black_box;

use ably_wasm::{
    codec, decode, encode, Action, ClientOptions, Connection, Data, Event, Format, Instant,
    Message, ProtocolMessage, Transmit,
};
use gungraun::{library_benchmark, library_benchmark_group, main};

const OPS: u64 = 100;

fn text(size: usize) -> String {
    // Printable and varied, like the lab's payloads (not one repeated byte).
    (0..size)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect()
}

/// The client's publish of `count` messages of `size` bytes of text, as the lab sends it.
fn publish_frame(count: usize, size: usize) -> ProtocolMessage {
    ProtocolMessage {
        action: Action::Message,
        channel: Some("lab-run-publish-ack-latency-json-a0-r3-ack".into()),
        msg_serial: Some(12_345),
        messages: (0..count)
            .map(|i| Message::new(i.to_string(), Data::Text(text(size))))
            .collect(),
        ..Default::default()
    }
}

/// The server's MESSAGE frame delivering `count` messages of `size` bytes (fields the local
/// server sets: id, connectionId, timestamp, channelSerial).
fn delivery_frame(count: usize, size: usize, format: Format) -> Vec<u8> {
    let channel = "lab-run-subscribe-throughput-json-a0-r3-sub";
    let json = format!(
        r#"{{"action":15,"id":"pub1:7","channel":"{channel}","channelSerial":"cs:0002","connectionId":"pub1","timestamp":1700000000000,"messages":[{}]}}"#,
        (0..count)
            .map(|i| format!(r#"{{"name":"{i}","data":"{}"}}"#, text(size)))
            .collect::<Vec<_>>()
            .join(",")
    );
    reencode(json.as_bytes(), format)
}

fn reencode(json: &[u8], format: Format) -> Vec<u8> {
    let pm: ProtocolMessage = decode(json, Format::Json).expect("valid frame");
    encode(&pm, format)
}

fn fixture(format: Format) -> Vec<u8> {
    let ext = match format {
        Format::Json => "json",
        Format::MsgPack => "msgpack",
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    std::fs::read(format!("{dir}message-delivery.{ext}")).expect("fixture")
}

// ---- setups (not counted) ----

fn setup_encode(format: Format, count: usize, size: usize) -> (ProtocolMessage, Format, Vec<u8>) {
    let pm = publish_frame(count, size);
    let cap = encode(&pm, format).len() * 2;
    (pm, format, Vec::with_capacity(cap))
}

fn setup_decode(format: Format, count: usize, size: usize) -> (Vec<u8>, Format) {
    (delivery_frame(count, size, format), format)
}

fn setup_fixture(format: Format) -> (Vec<u8>, Format) {
    (fixture(format), format)
}

/// A client that is connected (CONNECTED handled) and has one attached channel, in `format`.
struct Client {
    conn: Connection,
    channel: ably_wasm::ChannelId,
    format: Format,
    now: Instant,
    out: Vec<u8>,
}

fn client(format: Format, channel: &str) -> Client {
    let mut options = ClientOptions::new("appId.keyId:secret");
    options.endpoint = "127.0.0.1".into();
    options.port = Some(8780);
    options.tls = false;
    options.format = format;
    let mut conn = Connection::new(options);
    let now = Instant::from_millis(0);
    let mut out = Vec::with_capacity(4096);
    conn.connect(now);
    while conn.poll_transmit(&mut out).is_some() {}
    let connected = br#"{"action":4,"connectionId":"c1","connectionDetails":{"connectionKey":"k1","maxIdleInterval":15000,"connectionStateTtl":120000}}"#;
    conn.handle_frame(now, &reencode(connected, format))
        .expect("CONNECTED");
    let id = conn.channel(channel);
    conn.attach(now, id).expect("attach");
    while conn.poll_transmit(&mut out).is_some() {}
    let attached = ProtocolMessage {
        action: Action::Attached,
        channel: Some(channel.into()),
        channel_serial: Some("s1".into()),
        ..Default::default()
    };
    conn.handle_frame(now, &encode(&attached, format))
        .expect("ATTACHED");
    while conn.poll_event().is_some() {}
    Client {
        conn,
        channel: id,
        format,
        now,
        out,
    }
}

/// A client and the ACK frames for its next `OPS` publishes (msgSerial 0, 1, …).
fn setup_publish_ack(format: Format) -> (Client, Vec<Vec<u8>>, String) {
    let c = client(format, "lab-run-publish-ack-latency-json-a0-r3-ack");
    let acks = (0..OPS)
        .map(|serial| {
            let pm = ProtocolMessage {
                action: Action::Ack,
                msg_serial: Some(serial),
                count: Some(1),
                ..Default::default()
            };
            encode(&pm, format)
        })
        .collect();
    (c, acks, text(100))
}

/// A client subscribed to a channel and `OPS` frames of 10 × 100 B on it.
fn setup_deliver(format: Format) -> (Client, Vec<u8>) {
    let channel = "lab-run-subscribe-throughput-json-a0-r3-sub";
    let c = client(format, channel);
    (c, delivery_frame(10, 100, format))
}

// ---- benchmarks (counted) ----

#[library_benchmark]
#[bench::json_publish_1x100(args = (Format::Json, 1, 100), setup = setup_encode)]
#[bench::msgpack_publish_1x100(args = (Format::MsgPack, 1, 100), setup = setup_encode)]
#[bench::json_publish_10x100(args = (Format::Json, 10, 100), setup = setup_encode)]
#[bench::msgpack_publish_10x100(args = (Format::MsgPack, 10, 100), setup = setup_encode)]
#[bench::json_publish_1x1000(args = (Format::Json, 1, 1000), setup = setup_encode)]
#[bench::msgpack_publish_1x1000(args = (Format::MsgPack, 1, 1000), setup = setup_encode)]
fn codec_encode(input: (ProtocolMessage, Format, Vec<u8>)) -> Vec<u8> {
    let (pm, format, mut out) = input;
    codec::encode_into(black_box(&pm), format, &mut out);
    out
}

#[library_benchmark]
#[bench::json_delivery_1x100(args = (Format::Json, 1, 100), setup = setup_decode)]
#[bench::msgpack_delivery_1x100(args = (Format::MsgPack, 1, 100), setup = setup_decode)]
#[bench::json_delivery_10x100(args = (Format::Json, 10, 100), setup = setup_decode)]
#[bench::msgpack_delivery_10x100(args = (Format::MsgPack, 10, 100), setup = setup_decode)]
#[bench::json_delivery_1x1000(args = (Format::Json, 1, 1000), setup = setup_decode)]
#[bench::msgpack_delivery_1x1000(args = (Format::MsgPack, 1, 1000), setup = setup_decode)]
#[bench::json_fixture(args = (Format::Json), setup = setup_fixture)]
#[bench::msgpack_fixture(args = (Format::MsgPack), setup = setup_fixture)]
fn codec_decode(input: (Vec<u8>, Format)) -> ProtocolMessage {
    let (bytes, format) = input;
    decode::<ProtocolMessage>(black_box(&bytes), format).expect("decode")
}

#[library_benchmark]
#[bench::json(args = (Format::Json), setup = setup_publish_ack)]
#[bench::msgpack(args = (Format::MsgPack), setup = setup_publish_ack)]
fn publish_ack(input: (Client, Vec<Vec<u8>>, String)) -> Client {
    let (mut c, acks, data) = input;
    for ack in &acks {
        let id = c
            .conn
            .publish(c.now, c.channel, vec![Message::new("0", data.as_str())])
            .expect("publish");
        match c.conn.poll_transmit(&mut c.out) {
            Some(Transmit::Send { .. }) => {}
            other => panic!("expected a MESSAGE frame, got {other:?}"),
        }
        black_box(&c.out);
        c.conn.handle_frame(c.now, ack).expect("ACK");
        let mut done = false;
        while let Some(e) = c.conn.poll_event() {
            if let Event::Published { id: got, result } = e {
                done = got == id && result.is_ok();
            }
        }
        assert!(done, "publish not acknowledged ({:?})", c.format);
    }
    c
}

#[library_benchmark]
#[bench::json(args = (Format::Json), setup = setup_deliver)]
#[bench::msgpack(args = (Format::MsgPack), setup = setup_deliver)]
fn deliver(input: (Client, Vec<u8>)) -> (Client, usize) {
    let (mut c, frame) = input;
    let mut delivered = 0;
    for _ in 0..OPS {
        c.conn
            .handle_frame(c.now, black_box(&frame))
            .expect("MESSAGE");
        while let Some(e) = c.conn.poll_event() {
            if let Event::Messages { messages, .. } = e {
                delivered += black_box(messages).len();
            }
        }
    }
    assert_eq!(delivered, 10 * OPS as usize, "every message delivered");
    (c, delivered)
}

library_benchmark_group!(name = codecs; benchmarks = codec_encode, codec_decode);
library_benchmark_group!(name = connection; benchmarks = publish_ack, deliver);

main!(library_benchmark_groups = codecs, connection);

//! Rough native codec throughput (`cargo bench --bench codec`): decode and encode of the
//! `message-delivery` fixture and of a 5-message publish, JSON vs msgpack. Not a substitute for
//! the lab's in-browser measurements; it tells whether the codec is worth replacing.

use std::hint::black_box;
use std::time::Instant;

use ably_wasm::{decode, encode, Action, Data, Format, Message, ProtocolMessage};

fn time<F: FnMut()>(label: &str, bytes: usize, iters: u32, mut f: F) {
    for _ in 0..iters / 10 {
        f();
    }
    let t = Instant::now();
    for _ in 0..iters {
        f();
    }
    let ns = t.elapsed().as_nanos() as f64 / f64::from(iters);
    println!(
        "{label:<40} {ns:>9.0} ns/frame  {:>7.1} MB/s  ({bytes} B)",
        bytes as f64 / ns * 1e3
    );
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let publish = ProtocolMessage {
        action: Action::Message,
        channel: Some("bench".into()),
        msg_serial: Some(12345),
        messages: (0..5)
            .map(|i| {
                Message::new(
                    "event",
                    Data::Text(format!("payload number {i} with some text")),
                )
            })
            .collect(),
        ..Default::default()
    };
    for (format, ext) in [(Format::Json, "json"), (Format::MsgPack, "msgpack")] {
        let bytes = std::fs::read(format!("{dir}message-delivery.{ext}")).unwrap();
        time(
            &format!("decode message-delivery {ext}"),
            bytes.len(),
            200_000,
            || {
                black_box(decode::<ProtocolMessage>(black_box(&bytes), format).unwrap());
            },
        );
        let pm: ProtocolMessage = decode(&bytes, format).unwrap();
        let mut buf = Vec::with_capacity(1024);
        time(
            &format!("encode message-delivery {ext}"),
            bytes.len(),
            200_000,
            || {
                buf.clear();
                ably_wasm::codec::encode_into(black_box(&pm), format, &mut buf).unwrap();
                black_box(&buf);
            },
        );
        let p = encode(&publish, format);
        time(
            &format!("decode 5-message publish {ext}"),
            p.len(),
            200_000,
            || {
                black_box(decode::<ProtocolMessage>(black_box(&p), format).unwrap());
            },
        );
        time(
            &format!("encode 5-message publish {ext}"),
            p.len(),
            200_000,
            || {
                buf.clear();
                ably_wasm::codec::encode_into(black_box(&publish), format, &mut buf).unwrap();
                black_box(&buf);
            },
        );
    }
}

//! Native criterion benches of the SDK core.
//!
//! ```sh
//! cargo bench --bench sdk_benchmarks                                   # full (≈ 4 min)
//! cargo bench --bench sdk_benchmarks -- --warm-up-time 0.5 --measurement-time 1   # CI (≈ 1 min)
//! cargo bench --bench sdk_benchmarks -- --output-format bencher        # github-action-benchmark `tool: cargo`
//! cargo bench --bench sdk_benchmarks -- codec/decode                   # a filter
//! ```
//!
//! What is measured (all in-process, no network: the core is sans-I/O):
//! - `codec/{encode,decode}/{json,msgpack}/{single,batch10}/{100,1000,10000}`: one MESSAGE
//!   ProtocolMessage carrying 1 or 10 messages of N bytes of text data, encoded into a reused
//!   buffer / decoded from bytes;
//! - `codec/decode/{json,msgpack}/fixture-message-delivery`: the shared golden frame;
//! - `channels/{create,attach}_1000`: the connection's channel map with 1000 channels (create
//!   only; create + ATTACH out + ATTACHED in), and `channels/lookup_in_1000`; the live heap
//!   bytes per channel (a counting global allocator in this bench binary) are printed to stderr;
//! - `connection/publish_ack/{json,msgpack}`: the state machine's publish → MESSAGE frame out →
//!   ACK frame in → `Event::Published` path of a connected client with an attached channel.
//!
//! These are the Rust core's native costs. They do not replace the browser lab (`npm run lab`),
//! which compares the wasm build with ably-js where users run it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::Write as _;
use std::sync::atomic::{AtomicIsize, Ordering};

use ably_wasm::{
    codec, decode, encode, Action, ChannelId, ClientOptions, Connection, Data, Event, Format,
    Instant, Message, ProtocolMessage, Transmit,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

// ---- a counting allocator: live heap bytes of this process ----

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live_bytes() -> isize {
    LIVE.load(Ordering::Relaxed)
}

// ---- helpers ----

const SIZES: [usize; 3] = [100, 1000, 10_000];
const FORMATS: [(Format, &str); 2] = [(Format::Json, "json"), (Format::MsgPack, "msgpack")];

fn text(size: usize) -> String {
    // Printable, not one repeated byte (so nothing gets an unrealistically easy ride).
    (0..size)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect()
}

fn publish_frame(count: usize, size: usize) -> ProtocolMessage {
    ProtocolMessage {
        action: Action::Message,
        channel: Some("bench".into()),
        msg_serial: Some(12_345),
        messages: (0..count)
            .map(|i| Message::new(format!("event-{i}"), Data::Text(text(size))))
            .collect(),
        ..Default::default()
    }
}

/// A connected client (CONNECTED handled) in `format`.
fn connected(format: Format) -> Connection {
    let mut options = ClientOptions::new("appId.keyId:secret");
    options.endpoint = "127.0.0.1".into();
    options.port = Some(8780);
    options.tls = false;
    options.format = format;
    let mut conn = Connection::new(options);
    let t0 = Instant::from_millis(0);
    conn.connect(t0);
    let mut buf = Vec::new();
    while conn.poll_transmit(&mut buf).is_some() {}
    let connected = br#"{"action":4,"connectionId":"c1","connectionDetails":{"connectionKey":"k1","maxIdleInterval":15000,"connectionStateTtl":120000}}"#;
    let frame = reencode(connected, format);
    conn.handle_frame(t0, &frame).expect("CONNECTED");
    while conn.poll_event().is_some() {}
    conn
}

/// A JSON frame in `format`.
fn reencode(json: &[u8], format: Format) -> Vec<u8> {
    let pm: ProtocolMessage = decode(json, Format::Json).expect("valid frame");
    encode(&pm, format)
}

fn attached_frame(name: &str, format: Format) -> Vec<u8> {
    let pm = ProtocolMessage {
        action: Action::Attached,
        channel: Some(name.into()),
        channel_serial: Some("s1".into()),
        ..Default::default()
    };
    encode(&pm, format)
}

/// Creates (and optionally attaches) `n` channels; returns their ids.
fn fill_channels(conn: &mut Connection, n: usize, attach: bool, format: Format) -> Vec<ChannelId> {
    let t0 = Instant::from_millis(0);
    let mut buf = Vec::new();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("channel-{i}");
        let id = conn.channel(&name);
        if attach {
            conn.attach(t0, id).expect("attach");
            while conn.poll_transmit(&mut buf).is_some() {}
            conn.handle_frame(t0, &attached_frame(&name, format))
                .expect("ATTACHED");
            while conn.poll_event().is_some() {}
        }
        ids.push(id);
    }
    ids
}

// ---- benches ----

fn bench_codec(c: &mut Criterion) {
    let mut g = c.benchmark_group("codec");
    for (format, fname) in FORMATS {
        for (count, kind) in [(1, "single"), (10, "batch10")] {
            for size in SIZES {
                let pm = publish_frame(count, size);
                let bytes = encode(&pm, format);
                g.throughput(Throughput::Bytes(bytes.len() as u64));
                let mut buf = Vec::with_capacity(bytes.len() * 2);
                g.bench_with_input(
                    BenchmarkId::new(format!("encode/{fname}/{kind}"), size),
                    &pm,
                    |b, pm| {
                        b.iter(|| {
                            buf.clear();
                            codec::encode_into(black_box(pm), format, &mut buf);
                            black_box(&buf);
                        })
                    },
                );
                g.bench_with_input(
                    BenchmarkId::new(format!("decode/{fname}/{kind}"), size),
                    &bytes,
                    |b, bytes| {
                        b.iter(|| {
                            black_box(
                                decode::<ProtocolMessage>(black_box(bytes), format)
                                    .expect("decode"),
                            )
                        })
                    },
                );
            }
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
        let fixture = std::fs::read(format!("{dir}message-delivery.{fname}")).expect("fixture");
        g.throughput(Throughput::Bytes(fixture.len() as u64));
        g.bench_with_input(
            BenchmarkId::new(format!("decode/{fname}"), "fixture-message-delivery"),
            &fixture,
            |b, bytes| {
                b.iter(|| {
                    black_box(decode::<ProtocolMessage>(black_box(bytes), format).expect("decode"))
                })
            },
        );
    }
    g.finish();
}

fn bench_channels(c: &mut Criterion) {
    const N: usize = 1000;
    // Bytes per channel, from the counting allocator (once; printed, not timed).
    for attach in [false, true] {
        let mut conn = connected(Format::MsgPack);
        let before = live_bytes();
        let ids = fill_channels(&mut conn, N, attach, Format::MsgPack);
        let after = live_bytes();
        let ids_bytes = (ids.capacity() * std::mem::size_of::<ChannelId>()) as isize;
        let per = (after - before - ids_bytes) as f64 / N as f64;
        let _ = writeln!(
            std::io::stderr(),
            "channels: {N} {} channels hold {per:.0} bytes each on the heap (counting allocator)",
            if attach { "attached" } else { "created" }
        );
        black_box(conn);
    }

    let mut g = c.benchmark_group("channels");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("create_1000", |b| {
        b.iter_batched(
            || connected(Format::MsgPack),
            |mut conn| {
                fill_channels(&mut conn, N, false, Format::MsgPack);
                conn
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("attach_1000", |b| {
        b.iter_batched(
            || connected(Format::MsgPack),
            |mut conn| {
                fill_channels(&mut conn, N, true, Format::MsgPack);
                conn
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.throughput(Throughput::Elements(1));
    let mut conn = connected(Format::MsgPack);
    fill_channels(&mut conn, N, false, Format::MsgPack);
    let names: Vec<String> = (0..N).map(|i| format!("channel-{i}")).collect();
    let mut i = 0;
    g.bench_function("lookup_in_1000", |b| {
        b.iter(|| {
            i = (i + 397) % N;
            black_box(conn.find_channel(black_box(&names[i])))
        })
    });
    g.finish();
}

fn bench_publish_ack(c: &mut Criterion) {
    let mut g = c.benchmark_group("connection");
    g.throughput(Throughput::Elements(1));
    for (format, fname) in FORMATS {
        let mut conn = connected(format);
        let ids = fill_channels(&mut conn, 1, true, format);
        let ch = ids[0];
        let t0 = Instant::from_millis(0);
        let data = text(100);
        let mut out = Vec::with_capacity(512);
        let mut ack_pm = ProtocolMessage {
            action: Action::Ack,
            count: Some(1),
            ..Default::default()
        };
        let mut ack = Vec::with_capacity(64);
        let mut serial = 0u64;
        g.bench_function(BenchmarkId::new("publish_ack", fname), |b| {
            b.iter(|| {
                let id = conn
                    .publish(t0, ch, vec![Message::new("bench", data.as_str())])
                    .expect("publish");
                match conn.poll_transmit(&mut out) {
                    Some(Transmit::Send { .. }) => {}
                    other => panic!("expected a MESSAGE frame, got {other:?}"),
                }
                black_box(&out);
                ack_pm.msg_serial = Some(serial);
                serial += 1;
                ack.clear();
                codec::encode_into(&ack_pm, format, &mut ack);
                conn.handle_frame(t0, &ack).expect("ACK");
                let mut done = false;
                while let Some(e) = conn.poll_event() {
                    if let Event::Published { id: got, result } = e {
                        done = got == id && result.is_ok();
                    }
                }
                assert!(done, "publish not acknowledged");
            })
        });
        assert_eq!(conn.publishes_pending(), 0);
    }
    g.finish();
}

criterion_group!(benches, bench_codec, bench_channels, bench_publish_ack);
criterion_main!(benches);

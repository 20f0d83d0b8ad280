//! Channel state machine (RTL2–RTL17).

use std::time::Duration;

use super::harness::{frames, Harness};
use crate::codec::Format;
use crate::protocol::{Action, Data, ErrorInfo, Flags, Message};
use crate::{ChannelState as C, ConnectionState as S, Event};

#[test]
fn rtl4_attach_sends_attach_and_reaches_attached() {
    let mut h = Harness::connected(Format::MsgPack);
    let ch = h.conn.channel("room");
    h.conn.attach(h.now, ch).unwrap();
    h.drive();
    let sent = h.take_sent();
    assert_eq!(
        (sent[0].action, sent[0].channel.as_deref()),
        (Action::Attach, Some("room"))
    );
    assert_eq!(sent[0].channel_serial, None);
    h.recv(frames::attached("room", "s:1", false)).unwrap();
    assert_eq!(h.conn.channel_state(ch), Some(C::Attached));
    assert_eq!(h.conn.channel_serial(ch), Some("s:1"));
    assert_eq!(h.conn.channel_modes(ch), Some(Flags::DEFAULT_MODES));
    assert_eq!(h.chan_states(), [C::Attaching, C::Attached]);
    // RTL4a: attaching an attached channel does nothing.
    h.conn.attach(h.now, ch).unwrap();
    h.drive();
    assert!(h.take_sent().is_empty());
}

#[test]
fn rtl4i_attach_before_connected_is_sent_on_connect() {
    let mut h = Harness::new(Format::Json);
    let ch = h.conn.channel("a");
    h.conn.attach(h.now, ch).unwrap();
    h.connect();
    assert!(h.take_sent().is_empty());
    h.recv(frames::connected("c1", "c1!1")).unwrap();
    assert_eq!(h.take_sent()[0].action, Action::Attach);
}

#[test]
fn rtl4f_attach_timeout_suspends_then_rtl13b_retries() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    h.conn.attach(h.now, ch).unwrap();
    h.drive();
    h.take_sent();
    h.advance(Duration::from_secs(10));
    assert_eq!(h.conn.channel_state(ch), Some(C::Suspended));
    assert_eq!(h.conn.channel_error(ch).unwrap().code, 90007);
    h.recv(frames::action(Action::Heartbeat)).unwrap(); // keep the connection alive
    h.advance(Duration::from_secs(15));
    assert_eq!(h.conn.channel_state(ch), Some(C::Attaching));
    assert_eq!(h.take_sent()[0].action, Action::Attach);
}

/// RTL13b: the retries after repeated attach timeouts back off as RTB1 says (the delay grows
/// with each consecutive retry, with up to 20% jitter below it), rather than a fixed 15 s.
#[test]
fn rtl13b_consecutive_channel_retries_back_off_per_rtb1() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    h.conn.attach(h.now, ch).unwrap();
    h.drive();
    h.take_sent();
    // First timeout, first retry: within 0.8..1.0 x 15 s.
    h.advance(Duration::from_secs(10));
    assert_eq!(h.conn.channel_state(ch), Some(C::Suspended));
    h.recv(frames::action(Action::Heartbeat)).unwrap();
    h.advance(Duration::from_secs(15));
    assert_eq!(h.conn.channel_state(ch), Some(C::Attaching));
    h.take_sent();
    // Second timeout: RTB1a backoff 4/3, so the retry waits 16..20 s.
    h.recv(frames::action(Action::Heartbeat)).unwrap();
    h.advance(Duration::from_secs(10));
    assert_eq!(h.conn.channel_state(ch), Some(C::Suspended));
    h.recv(frames::action(Action::Heartbeat)).unwrap();
    h.advance(Duration::from_millis(15_900));
    assert_eq!(
        h.conn.channel_state(ch),
        Some(C::Suspended),
        "second retry too early"
    );
    h.recv(frames::action(Action::Heartbeat)).unwrap();
    h.advance(Duration::from_millis(4_200));
    assert_eq!(h.conn.channel_state(ch), Some(C::Attaching));
    // The retried ATTACH succeeds (and resets the count, record.rs).
    h.recv(frames::attached("a", "s1", false)).unwrap();
    assert_eq!(h.conn.channel_state(ch), Some(C::Attached));
}

#[test]
fn rtl5_detach_and_rtl5f_timeout_reverts() {
    let mut h = Harness::connected(Format::MsgPack);
    let ch = h.conn.channel("a");
    h.conn.attach(h.now, ch).unwrap();
    h.recv(frames::attached("a", "s1", false)).unwrap();
    h.conn.detach(h.now, ch).unwrap();
    h.drive();
    assert_eq!(h.take_sent().last().unwrap().action, Action::Detach);
    h.recv(frames::detached("a", None)).unwrap();
    assert_eq!(h.conn.channel_state(ch), Some(C::Detached));
    assert_eq!(h.conn.channel_serial(ch), None, "RTL15b1");
    // Detach again after re-attach, server silent: back to attached.
    h.conn.attach(h.now, ch).unwrap();
    h.recv(frames::attached("a", "s2", false)).unwrap();
    h.conn.detach(h.now, ch).unwrap();
    h.drive();
    h.advance(Duration::from_secs(10));
    assert_eq!(h.conn.channel_state(ch), Some(C::Attached));
}

#[test]
fn rtl13a_server_detached_reattaches_with_serial() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    h.conn.attach(h.now, ch).unwrap();
    h.recv(frames::attached("a", "s1", false)).unwrap();
    h.take_sent();
    h.recv(frames::detached(
        "a",
        Some(ErrorInfo::new(90198, 500, "moved")),
    ))
    .unwrap();
    assert_eq!(h.conn.channel_state(ch), Some(C::Attaching));
    let sent = h.take_sent();
    assert_eq!(sent[0].action, Action::Attach);
    // RTL15b1 clears the serial only on detached/suspended/failed, not on attaching.
    assert_eq!(sent[0].channel_serial.as_deref(), Some("s1"));
}

#[test]
fn rtl14_channel_error_fails_channel_only() {
    let mut h = Harness::connected(Format::MsgPack);
    let ch = h.conn.channel("a");
    h.conn.attach(h.now, ch).unwrap();
    h.recv(frames::error(
        Some("a"),
        ErrorInfo::new(40160, 401, "denied"),
    ))
    .unwrap();
    assert_eq!(h.conn.channel_state(ch), Some(C::Failed));
    assert_eq!(h.conn.channel_error(ch).unwrap().code, 40160);
    assert_eq!(h.conn.state(), S::Connected);
    assert!(
        h.conn
            .publish(h.now, ch, vec![Message::new("x", "y")])
            .is_err(),
        "RTL6c4"
    );
}

#[test]
fn rtl17_messages_delivered_only_when_attached_with_parent_fields() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    let msgs = vec![
        Message::new("e", "hi"),
        Message::new("e", Data::Binary(vec![1, 2])),
    ];
    h.recv(frames::message("a", "s5", msgs.clone())).unwrap();
    assert!(h.take_events().is_empty(), "dropped: not attached");
    h.conn.attach(h.now, ch).unwrap();
    h.recv(frames::attached("a", "s1", false)).unwrap();
    h.take_events();
    h.recv(frames::message("a", "s5", msgs)).unwrap();
    assert_eq!(h.conn.channel_serial(ch), Some("s5"), "RTL15b");
    let [Event::Messages { channel, messages }] = &h.take_events()[..] else {
        panic!()
    };
    assert_eq!(*channel, ch);
    assert_eq!(messages[1].data, Data::Binary(vec![1, 2]));
    assert_eq!(messages[1].id.as_deref(), Some("pub1:3:1"), "TM2a");
    assert_eq!(messages[0].connection_id.as_deref(), Some("pub1"), "TM2c");
    assert_eq!(messages[0].timestamp, Some(1_700_000_000_000), "TM2f");
}

#[test]
fn rtl12_unsolicited_attached_without_resumed_is_an_update() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    h.conn.attach(h.now, ch).unwrap();
    h.recv(frames::attached("a", "s1", false)).unwrap();
    h.take_events();
    h.recv(frames::attached("a", "s2", true)).unwrap();
    assert!(h.take_events().is_empty(), "resumed: no update");
    h.recv(frames::attached("a", "s3", false)).unwrap();
    assert_eq!(h.chan_states(), [C::Attached]);
    assert_eq!(h.conn.channel_serial(ch), Some("s3"));
}

#[test]
fn rtl3_connection_state_propagates_to_channels() {
    let mut h = Harness::connected(Format::Json);
    let (a, b) = (h.conn.channel("a"), h.conn.channel("b"));
    h.conn.attach(h.now, a).unwrap();
    h.conn.attach(h.now, b).unwrap();
    h.recv(frames::attached("a", "s1", false)).unwrap();
    h.conn.close(h.now);
    h.recv(frames::action(Action::Closed)).unwrap();
    // RTL3b: detached without DETACH being sent.
    assert_eq!(h.conn.channel_state(a), Some(C::Detached));
    assert_eq!(h.conn.channel_state(b), Some(C::Detached));
    assert!(h.take_sent().iter().all(|p| p.action != Action::Detach));
}

#[test]
fn thousand_channels_stay_cheap() {
    let mut h = Harness::connected(Format::MsgPack);
    for i in 0..1000 {
        let ch = h.conn.channel(&format!("channel-{i}"));
        h.conn.attach(h.now, ch).unwrap();
    }
    h.drive();
    assert_eq!(h.take_sent().len(), 1000);
    assert!(h.conn.poll_timeout().is_some());
    for i in 0..1000 {
        h.recv(frames::attached(&format!("channel-{i}"), "s", false))
            .unwrap();
    }
    assert_eq!(h.conn.channel_count(), 1000);
    // No channel timers armed once attached: only the idle timer remains.
    assert_eq!(h.conn.poll_timeout(), Some(h.now + Duration::from_secs(25)));
}

#[test]
fn a_channel_id_from_another_connection_is_caller_misuse() {
    let mut other = Harness::connected(Format::Json);
    other.conn.channel("a");
    let foreign = other.conn.channel("b");
    let mut h = Harness::connected(Format::Json);
    let e = h.conn.attach(h.now, foreign).unwrap_err();
    assert!(matches!(e, crate::Error::Misuse(_)), "{e}");
    assert_eq!(e.to_error_info().code, 40000);
    assert!(matches!(
        h.conn.detach(h.now, foreign),
        Err(crate::Error::Misuse(_))
    ));
    assert!(matches!(
        h.conn.publish(h.now, foreign, vec![Message::new("n", "d")]),
        Err(crate::Error::Misuse(_))
    ));
}

// A MESSAGE frame decoded by the driver (JSON.parse in a browser): the core still applies
// RTL15b (channel serial) and RTL17 (attached channels only) and tells where to deliver.
#[test]
fn rtl15b_rtl17_message_frame_header_from_the_driver() {
    let mut h = Harness::connected(Format::Json);
    let room = h.conn.channel("room");
    let other = h.conn.channel("other"); // never attached
    h.conn.attach(h.now, room).unwrap();
    h.drive();
    h.recv(frames::attached("room", "s:1", false)).unwrap();
    let now = h.now;
    assert_eq!(
        h.conn
            .handle_message_frame_header(now, "room", Some("s:2".into())),
        Some(room)
    );
    assert_eq!(h.conn.channel_serial(room), Some("s:2"));
    assert_eq!(
        h.conn.handle_message_frame_header(now, "room", None),
        Some(room)
    );
    assert_eq!(h.conn.channel_serial(room), Some("s:2"));
    assert_eq!(
        h.conn
            .handle_message_frame_header(now, "other", Some("x".into())),
        None
    );
    assert_eq!(h.conn.channel_serial(other), None);
    assert_eq!(
        h.conn.handle_message_frame_header(now, "unknown", None),
        None
    );
}

//! Resume after a dropped transport (RTN15), success and failure; suspension (RTN14e, RTN7e).

use std::time::Duration;

use super::harness::{frames, Harness};
use crate::codec::Format;
use crate::protocol::{Action, ErrorInfo, Message};
use crate::{ChannelState as C, ConnectionState as S};

/// Connected, channel "a" attached at serial s1, two publishes sent and unacked.
fn scenario(f: Format) -> (Harness, crate::ChannelId) {
    let mut h = Harness::connected(f);
    let ch = h.conn.channel("a");
    h.conn.attach(h.now, ch).unwrap();
    h.recv(frames::attached("a", "s1", false)).unwrap();
    h.recv(frames::message("a", "s2", vec![Message::new("x", "y")]))
        .unwrap();
    for n in 0..3 {
        h.conn
            .publish(h.now, ch, vec![Message::new("n", format!("m{n}"))])
            .unwrap();
    }
    h.drive();
    h.recv(frames::ack(0, 1)).unwrap(); // serial 0 acked; 1 and 2 pending
    h.take_sent();
    h.events.clear();
    (h, ch)
}

#[test]
fn rtn15c6_resume_success_keeps_serials_and_reattaches_with_channel_serial() {
    for f in [Format::Json, Format::MsgPack] {
        let (mut h, ch) = scenario(f);
        h.lose_transport();
        assert_eq!(h.conn_states(), [S::Disconnected, S::Connecting]);
        assert!(
            h.opens.last().unwrap().contains("&resume=conn1!1&"),
            "RTN15b1"
        );
        // A publish while disconnected is queued (RTL6c2).
        h.conn
            .publish(h.now, ch, vec![Message::new("n", "late")])
            .unwrap();
        h.drive();
        assert!(h.take_sent().is_empty());
        h.recv(frames::connected("conn1", "conn1!2")).unwrap();
        assert_eq!(h.conn.state(), S::Connected);
        assert_eq!(h.conn.key(), Some("conn1!2"));
        assert_eq!(h.conn.error_reason(), None);
        let sent = h.take_sent();
        let attach = sent.iter().find(|p| p.action == Action::Attach).unwrap();
        assert_eq!(
            attach.channel_serial.as_deref(),
            Some("s2"),
            "RTL4c1 with the latest serial"
        );
        let serials: Vec<_> = sent
            .iter()
            .filter(|p| p.action == Action::Message)
            .map(|p| p.msg_serial)
            .collect();
        assert_eq!(
            serials,
            [Some(1), Some(2), Some(3)],
            "RTN15c6: same serials, then new"
        );
        assert_eq!(h.conn.channel_state(ch), Some(C::Attaching));
        h.recv(frames::attached("a", "s2", true)).unwrap();
        h.recv(frames::ack(1, 3)).unwrap();
        assert_eq!(h.take_published().len(), 3);
        assert_eq!(h.conn.channel_state(ch), Some(C::Attached));
    }
}

#[test]
fn rtn15c7_failed_resume_resets_msg_serial() {
    let (mut h, ch) = scenario(Format::MsgPack);
    h.lose_transport();
    let mut pm = frames::connected("conn2", "conn2!1");
    pm.error = Some(ErrorInfo::new(80008, 400, "Unable to recover connection"));
    h.recv(pm).unwrap();
    assert_eq!(h.conn.id(), Some("conn2"));
    assert_eq!(
        h.conn.error_reason().unwrap().code,
        80008,
        "RTN15c7: error becomes the reason"
    );
    let sent = h.take_sent();
    let serials: Vec<_> = sent
        .iter()
        .filter(|p| p.action == Action::Message)
        .map(|p| p.msg_serial)
        .collect();
    assert_eq!(serials, [Some(0), Some(1)], "RTN19a2: renumbered from 0");
    assert!(
        sent.iter().any(|p| p.action == Action::Attach),
        "channels re-attach regardless"
    );
    h.recv(frames::ack(0, 2)).unwrap();
    assert!(h.take_published().iter().all(|(_, r)| r.is_ok()));
    h.conn
        .publish(h.now, ch, vec![Message::new("n", "next")])
        .unwrap();
    h.drive();
    assert_eq!(h.take_sent()[0].msg_serial, Some(2));
}

#[test]
fn rtn14e_suspended_fails_pending_and_suspends_channels() {
    let (mut h, ch) = scenario(Format::Json);
    h.lose_transport(); // immediate reconnect attempt, never answered
    h.advance(Duration::from_secs(121));
    assert_eq!(h.conn.state(), S::Suspended);
    let done = h.take_published();
    assert_eq!(done.len(), 2);
    assert!(
        done.iter()
            .all(|(_, r)| r.as_ref().unwrap_err().code == 80002),
        "RTN7e"
    );
    assert_eq!(h.conn.channel_state(ch), Some(C::Suspended), "RTL3c");
    assert_eq!(h.conn.channel_serial(ch), None, "RTL15b1");
    // RTN14h (spec 6.1.0): still resumes from suspended.
    h.advance(Duration::from_secs(30));
    assert!(h.opens.last().unwrap().contains("resume=conn1!1"));
    h.recv(frames::connected("conn1", "conn1!3")).unwrap();
    assert_eq!(h.conn.channel_state(ch), Some(C::Attaching), "RTL3d");
}

#[test]
fn stale_frames_after_drop_do_not_leak_into_new_transport() {
    let (mut h, _) = scenario(Format::Json);
    h.lose_transport();
    // Frames for the old transport are never fed; a drop while connecting backs off.
    h.lose_transport();
    assert_eq!(h.conn.state(), S::Disconnected);
    assert!(h.take_sent().is_empty());
}

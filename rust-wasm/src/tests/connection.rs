//! Connection lifecycle on a virtual clock (RTN4, RTN12, RTN14, RTN15, RTN23).

use std::time::Duration;

use super::harness::{frames, Harness};
use crate::codec::Format;
use crate::protocol::{Action, ErrorInfo};
use crate::{ConnectionState as S, Error, Event};

const FORMATS: [Format; 2] = [Format::Json, Format::MsgPack];

#[test]
fn rtn4_connect_reaches_connected() {
    for f in FORMATS {
        let mut h = Harness::new(f);
        h.connect();
        assert_eq!(h.opens.len(), 1);
        assert!(h.opens[0].starts_with("ws://127.0.0.1:9999/?key=app.key%3Asecret&format="));
        assert!(!h.opens[0].contains("resume="));
        h.recv(frames::connected("conn1", "conn1!1")).unwrap();
        assert_eq!(h.conn.state(), S::Connected);
        assert_eq!(h.conn.id(), Some("conn1"));
        assert_eq!(h.conn.key(), Some("conn1!1"));
        assert_eq!(h.conn_states(), [S::Connecting, S::Connected]);
        assert!(h.sent.is_empty(), "nothing to send on a fresh connect");
    }
}

#[test]
fn connected_without_details_is_dropped() {
    let mut h = Harness::new(Format::Json);
    h.connect();
    let mut pm = frames::connected("c", "k");
    pm.connection_details = None;
    assert!(matches!(h.recv(pm), Err(Error::Protocol(_))));
    assert_eq!(h.conn.state(), S::Connecting);
}

#[test]
fn rtn14c_connect_timeout_then_rtb1_backoff_retry() {
    let mut h = Harness::new(Format::MsgPack);
    h.connect();
    h.advance(Duration::from_secs(20));
    assert_eq!(h.conn.state(), S::Disconnected);
    assert_eq!(h.closes, 1);
    let retry = h.events.iter().rev().find_map(|e| match e {
        Event::ConnectionState(c) if c.current == S::Disconnected => c.retry_in,
        _ => None,
    });
    // First retry: 15 s × min((1+2)/3, 2) × jitter in [0.8, 1].
    let retry = retry.unwrap();
    assert!(
        retry >= Duration::from_secs(12) && retry <= Duration::from_secs(15),
        "{retry:?}"
    );
    h.advance(retry);
    assert_eq!(h.conn.state(), S::Connecting);
    assert_eq!(h.opens.len(), 2);
}

#[test]
fn rtn14e_disconnected_past_ttl_becomes_suspended_and_retries() {
    let mut h = Harness::new(Format::Json);
    h.connect();
    // Never answer: attempts time out every 20 s, retries wait ~15-30 s; TTL is 120 s.
    h.advance(Duration::from_secs(125));
    assert_eq!(h.conn.state(), S::Suspended, "{:?}", h.conn_states());
    let opens = h.opens.len();
    h.advance(Duration::from_secs(30)); // suspendedRetryTimeout
    assert_eq!(h.conn.state(), S::Connecting);
    assert_eq!(h.opens.len(), opens + 1);
}

#[test]
fn rtn23a_idle_timeout_sends_disconnect_and_resumes() {
    for f in FORMATS {
        let mut h = Harness::connected(f);
        // Heartbeats keep it alive.
        for _ in 0..5 {
            h.advance(Duration::from_secs(15));
            h.recv(frames::action(Action::Heartbeat)).unwrap();
        }
        assert_eq!(h.conn.state(), S::Connected);
        // Silence: maxIdleInterval 15 s + realtimeRequestTimeout 10 s.
        h.advance(Duration::from_millis(24_999));
        assert_eq!(h.conn.state(), S::Connected);
        h.advance(Duration::from_millis(1));
        assert_eq!(
            h.take_sent().iter().map(|p| p.action).collect::<Vec<_>>(),
            [Action::Disconnect]
        );
        assert_eq!(h.conn_states(), [S::Disconnected, S::Connecting]);
        let reason = h.events.iter().find_map(|e| match e {
            Event::ConnectionState(c) if c.current == S::Disconnected => c.reason.clone(),
            _ => None,
        });
        assert_eq!(reason.map(|r| (r.code, r.status_code)), Some((80003, 408)));
        assert!(
            h.opens.last().unwrap().contains("resume=conn1!1"),
            "RTN15b: resume with the key"
        );
    }
}

#[test]
fn rtn12_close_sends_close_and_waits_for_closed() {
    let mut h = Harness::connected(Format::Json);
    h.conn.close(h.now);
    h.drive();
    assert_eq!(h.conn.state(), S::Closing);
    assert_eq!(h.take_sent()[0].action, Action::Close);
    h.recv(frames::action(Action::Closed)).unwrap();
    assert_eq!(h.conn.state(), S::Closed);
    assert_eq!(h.conn.id(), None, "RTN8c");
    assert_eq!(h.conn.key(), None, "RTN9c");
    assert!(!h.open);
    assert_eq!(h.conn.poll_timeout(), None, "no timers in closed");
}

#[test]
fn rtn12b_close_without_closed_times_out() {
    let mut h = Harness::connected(Format::MsgPack);
    h.conn.close(h.now);
    h.drive();
    h.advance(Duration::from_secs(10));
    assert_eq!(h.conn.state(), S::Closed);
    assert!(!h.open);
}

#[test]
fn rtn12d_close_while_disconnected_is_immediate() {
    let mut h = Harness::new(Format::Json);
    h.connect();
    h.lose_transport();
    assert_eq!(h.conn.state(), S::Disconnected);
    h.conn.close(h.now);
    h.drive();
    assert_eq!(h.conn.state(), S::Closed);
    assert_eq!(h.conn.poll_timeout(), None);
}

#[test]
fn rtn15i_connection_error_fails() {
    let mut h = Harness::connected(Format::Json);
    h.recv(frames::error(
        None,
        ErrorInfo::new(40101, 401, "invalid credentials"),
    ))
    .unwrap();
    assert_eq!(h.conn.state(), S::Failed);
    assert_eq!(h.conn.error_reason().unwrap().code, 40101);
    assert!(!h.open);
    // RTN11d: connect again starts afresh, no resume.
    h.connect();
    assert_eq!(h.conn.state(), S::Connecting);
    assert!(!h.opens.last().unwrap().contains("resume="));
}

#[test]
fn rtn15h_server_disconnected_reconnects_at_once() {
    let mut h = Harness::connected(Format::MsgPack);
    let mut pm = frames::action(Action::Disconnected);
    pm.error = Some(ErrorInfo::new(80003, 503, "going away"));
    h.recv(pm).unwrap();
    assert_eq!(h.conn_states(), [S::Disconnected, S::Connecting]);
    assert_eq!(h.opens.len(), 2);
    assert!(h.opens[1].contains("resume=conn1!1"));
}

#[test]
fn rtn24_connected_while_connected_is_an_update() {
    let mut h = Harness::connected(Format::Json);
    h.recv(frames::connected("conn1", "conn1!2")).unwrap();
    assert_eq!(h.conn.state(), S::Connected);
    assert_eq!(h.conn.key(), Some("conn1!2"));
    assert!(matches!(&h.events[..], [Event::ConnectionState(c)] if c.previous == c.current));
}

#[test]
fn bad_frames_are_clear_errors_not_panics() {
    for f in FORMATS {
        let mut h = Harness::connected(f);
        for bad in [
            &b""[..],
            b"\xc1",
            b"{",
            b"[1,2]",
            b"\x81\xa6action\xa1x",
            b"{\"action\":1}{}",
        ] {
            let e = h.recv_bytes(bad).unwrap_err();
            assert!(matches!(e, Error::Decode(_)), "{e}");
            assert!(e.to_string().contains("cannot decode"), "{e}");
            assert_eq!(e.to_error_info().code, 40000);
        }
        // ACK for nothing pending: ignored, reported.
        assert!(matches!(h.recv(frames::ack(5, 1)), Err(Error::Protocol(_))));
        // Unknown action: ignored.
        h.recv(frames::action(Action::Unknown(99))).unwrap();
        assert_eq!(h.conn.state(), S::Connected);
    }
}

#[test]
fn frames_after_close_are_ignored() {
    let mut h = Harness::connected(Format::Json);
    h.conn.close(h.now);
    h.recv(frames::action(Action::Closed)).unwrap();
    h.recv(frames::connected("x", "y")).unwrap();
    assert_eq!(h.conn.state(), S::Closed);
}

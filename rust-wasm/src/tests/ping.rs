//! `ping()` (RTN13): HEARTBEAT with a random id, the echo with that id, timeouts, refusals.

use std::time::Duration;

use super::harness::{frames, Harness};
use crate::codec::Format;
use crate::protocol::{Action, ErrorInfo, ProtocolMessage};
use crate::{ConnectionState as S, Error, Event, PingId};

fn heartbeat(id: Option<&str>) -> ProtocolMessage {
    ProtocolMessage {
        action: Action::Heartbeat,
        id: id.map(Into::into),
        ..Default::default()
    }
}

fn pongs(h: &mut Harness) -> Vec<(PingId, Result<Duration, ErrorInfo>)> {
    let mut out = vec![];
    h.events.retain(|e| match e {
        Event::Pong { id, result } => {
            out.push((*id, result.clone()));
            false
        }
        _ => true,
    });
    out
}

#[test]
fn rtn13_ping_resolves_with_the_round_trip_of_its_own_heartbeat() {
    for f in [Format::Json, Format::MsgPack] {
        let mut h = Harness::connected(f);
        let p1 = h.conn.ping(h.now).unwrap();
        let p2 = h.conn.ping(h.now).unwrap();
        h.drive();
        let sent = h.take_sent();
        assert_eq!(sent.len(), 2);
        assert!(sent.iter().all(|p| p.action == Action::Heartbeat));
        let (id1, id2) = (sent[0].id.clone().unwrap(), sent[1].id.clone().unwrap());
        assert_eq!(id1.len(), 16);
        assert_ne!(id1, id2, "RTN13a: a random id each");
        // The server's own heartbeats, and echoes of unknown ids, complete nothing.
        h.advance(Duration::from_millis(10));
        h.recv(heartbeat(None)).unwrap();
        h.recv(heartbeat(Some("someone-else"))).unwrap();
        assert!(pongs(&mut h).is_empty());
        h.advance(Duration::from_millis(15));
        h.recv(heartbeat(Some(&id2))).unwrap();
        assert_eq!(pongs(&mut h), [(p2, Ok(Duration::from_millis(25)))]);
        h.advance(Duration::from_millis(5));
        h.recv(heartbeat(Some(&id1))).unwrap();
        assert_eq!(pongs(&mut h), [(p1, Ok(Duration::from_millis(30)))]);
        // Answered pings leave no timer behind: a late echo is ignored.
        h.advance(Duration::from_secs(11));
        h.recv(heartbeat(Some(&id1))).unwrap();
        assert!(pongs(&mut h).is_empty());
        assert_eq!(h.conn.state(), S::Connected);
    }
}

#[test]
fn rtn13c_ping_times_out_after_realtime_request_timeout() {
    let mut h = Harness::connected(Format::Json);
    let p = h.conn.ping(h.now).unwrap();
    h.drive();
    let id = h.take_sent()[0].id.clone().unwrap();
    h.advance(Duration::from_millis(9_999));
    assert!(pongs(&mut h).is_empty());
    h.advance(Duration::from_millis(1));
    let done = pongs(&mut h);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].0, p);
    let e = done[0].1.clone().unwrap_err();
    assert_eq!((e.code, e.status_code), (50000, 500));
    h.recv(heartbeat(Some(&id))).unwrap();
    assert!(pongs(&mut h).is_empty(), "completed once");
    assert_eq!(
        h.conn.state(),
        S::Connected,
        "a lost ping is not a lost connection"
    );
}

#[test]
fn rtn13b_ping_is_refused_unless_connected() {
    let mut h = Harness::new(Format::Json);
    let refused = |r: Result<PingId, Error>| match r {
        Err(Error::User(e)) => e.code == 40000 && e.status_code == 400,
        _ => false,
    };
    assert!(refused(h.conn.ping(h.now)), "initialized");
    h.connect();
    assert!(refused(h.conn.ping(h.now)), "connecting");
    h.recv(frames::connected("c1", "k!c1")).unwrap();
    h.conn.close(h.now);
    h.drive();
    assert!(refused(h.conn.ping(h.now)), "closing");
    assert!(h.take_sent().iter().all(|p| p.action != Action::Heartbeat));
}

#[test]
fn ping_fails_when_the_connection_drops_before_the_echo() {
    let mut h = Harness::connected(Format::MsgPack);
    let p = h.conn.ping(h.now).unwrap();
    h.drive();
    h.lose_transport();
    let done = pongs(&mut h);
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].0, p);
    assert_eq!(done[0].1.clone().unwrap_err().code, 80003);
    // No stray timeout later.
    h.recv(frames::connected("conn1", "conn1!2")).unwrap();
    h.advance(Duration::from_secs(11));
    assert!(pongs(&mut h).is_empty());
}

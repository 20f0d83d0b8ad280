//! Token errors (40140–40149) with a fixed token: this SDK has no means to renew one (no
//! authCallback/authUrl), so like ably-js the connection fails with that error (RTN15h1,
//! RTN14b) instead of retrying with a token that will not work.

use std::time::Duration;

use super::harness::{frames, options, Harness};
use crate::codec::Format;
use crate::options::Auth;
use crate::protocol::{Action, ErrorInfo, Message};
use crate::{ChannelState as C, ConnectionState as S};

fn token_client(f: Format) -> Harness {
    let mut o = options(f);
    o.auth = Auth::Token("fixed-token".into());
    Harness::with_options(o)
}

fn expired() -> ErrorInfo {
    ErrorInfo::new(40142, 401, "Token expired")
}

#[test]
fn rtn15h1_disconnected_with_token_error_fails_a_fixed_token_connection() {
    for f in [Format::Json, Format::MsgPack] {
        let mut h = token_client(f);
        h.connect();
        assert!(h.opens[0].contains("?access_token=fixed-token&"));
        h.recv(frames::connected("conn1", "k!conn1")).unwrap();
        let ch = h.conn.channel("a");
        h.conn.attach(h.now, ch).unwrap();
        h.recv(frames::attached("a", "s1", false)).unwrap();
        h.conn
            .publish(h.now, ch, vec![Message::new("n", "unacked")])
            .unwrap();
        h.drive();
        h.events.clear();
        let mut pm = frames::action(Action::Disconnected);
        pm.error = Some(expired());
        h.recv(pm).unwrap();
        assert_eq!(h.conn.state(), S::Failed);
        assert_eq!(
            h.conn_states(),
            [S::Failed],
            "no disconnected/connecting detour"
        );
        assert_eq!(h.conn.error_reason(), Some(&expired()));
        assert_eq!(h.conn.channel_state(ch), Some(C::Failed), "RTL3a");
        assert_eq!(h.conn.channel_error(ch), Some(&expired()));
        let published = h.take_published();
        assert_eq!(published.len(), 1);
        assert_eq!(published[0].1, Err(expired()), "RTN7e");
        assert!(!h.open, "the transport is closed");
        let opens = h.opens.len();
        h.advance(Duration::from_secs(300));
        assert_eq!(
            h.opens.len(),
            opens,
            "and never retried with the same token"
        );
        assert_eq!(h.conn.id(), None, "RTN8c");
    }
}

#[test]
fn rtn14b_token_error_while_connecting_fails_without_retry() {
    let mut h = token_client(Format::Json);
    h.connect();
    h.recv(frames::error(
        None,
        ErrorInfo::new(40140, 401, "Token error"),
    ))
    .unwrap();
    assert_eq!(h.conn.state(), S::Failed);
    assert_eq!(h.conn.error_reason().unwrap().code, 40140);
    h.advance(Duration::from_secs(300));
    assert_eq!(h.opens.len(), 1);
}

#[test]
fn other_disconnections_of_a_token_connection_still_resume() {
    let mut h = token_client(Format::MsgPack);
    h.connect();
    h.recv(frames::connected("conn1", "k!conn1")).unwrap();
    let mut pm = frames::action(Action::Disconnected);
    pm.error = Some(ErrorInfo::new(80003, 503, "Server going away"));
    h.recv(pm).unwrap();
    assert_eq!(h.conn.state(), S::Connecting);
    assert!(h.opens.last().unwrap().contains("resume=k!conn1"));
}

#[test]
fn basic_auth_never_fails_on_a_token_error() {
    // A key uses basic auth, where token errors do not arise; should a server send one anyway,
    // the client reconnects (with the same key) rather than failing.
    let mut h = Harness::connected(Format::Json);
    let mut pm = frames::action(Action::Disconnected);
    pm.error = Some(expired());
    h.recv(pm).unwrap();
    assert_eq!(h.conn.state(), S::Connecting);
    assert!(h
        .opens
        .last()
        .unwrap()
        .contains("?key=app.key%3Asecret&resume=conn1!1&"));
}

//! Publish → ACK/NACK bookkeeping by msgSerial (RTN7, RTL6).

use super::harness::{frames, Harness};
use crate::codec::Format;
use crate::protocol::{Action, Data, ErrorInfo, Message, PublishResult};
use crate::{ConnectionState as S, Error};

fn msg(n: u32) -> Vec<Message> {
    vec![Message::new("n", format!("m{n}"))]
}

#[test]
fn rtn7a_publish_then_ack_resolves_with_serials() {
    for f in [Format::Json, Format::MsgPack] {
        let mut h = Harness::connected(f);
        let ch = h.conn.channel("a");
        let id = h
            .conn
            .publish(h.now, ch, vec![Message::new("n", Data::Binary(vec![9]))])
            .unwrap();
        h.drive();
        let sent = h.take_sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            (sent[0].action, sent[0].msg_serial),
            (Action::Message, Some(0))
        );
        assert_eq!(sent[0].messages[0].data, Data::Binary(vec![9]));
        h.recv(frames::ack(0, 1)).unwrap();
        let done = h.take_published();
        assert_eq!(
            done,
            [(
                id.0,
                Ok(PublishResult {
                    serials: vec![Some("s0".into())]
                })
            )]
        );
        assert_eq!(h.conn.publishes_pending(), 0);
    }
}

#[test]
fn rtn7b_serials_increment_and_ack_count_covers_several() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    for n in 0..3 {
        h.conn.publish(h.now, ch, msg(n)).unwrap();
    }
    h.drive();
    let serials: Vec<_> = h.take_sent().iter().map(|p| p.msg_serial).collect();
    assert_eq!(serials, [Some(0), Some(1), Some(2)]);
    h.recv(frames::ack(0, 2)).unwrap();
    assert_eq!(h.take_published().len(), 2);
    // An ACK for serial 2 alone.
    h.recv(frames::ack(2, 1)).unwrap();
    let done = h.take_published();
    assert_eq!(
        done[0].1.as_ref().unwrap().serials,
        [Some("s2".to_string())]
    );
}

#[test]
fn rtn7a_ack_implicitly_covers_earlier_serials() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    for n in 0..3 {
        h.conn.publish(h.now, ch, msg(n)).unwrap();
    }
    h.drive();
    h.recv(frames::ack(2, 1)).unwrap();
    let done = h.take_published();
    assert_eq!(done.len(), 3);
    assert!(done.iter().all(|(_, r)| r.is_ok()));
    assert_eq!(
        done[2].1.as_ref().unwrap().serials,
        [Some("s2".to_string())]
    );
}

#[test]
fn rtn7a_nack_rejects_with_error() {
    let mut h = Harness::connected(Format::MsgPack);
    let ch = h.conn.channel("a");
    let a = h.conn.publish(h.now, ch, msg(0)).unwrap();
    let b = h.conn.publish(h.now, ch, msg(1)).unwrap();
    h.drive();
    h.recv(frames::nack(0, 1, ErrorInfo::new(42910, 429, "rate limit")))
        .unwrap();
    h.recv(frames::ack(1, 1)).unwrap();
    let done = h.take_published();
    assert_eq!(done[0].0, a.0);
    assert_eq!(done[0].1.as_ref().unwrap_err().code, 42910);
    assert_eq!(done[1].0, b.0);
    assert!(done[1].1.is_ok());
    // NACK without error → 50001.
    h.conn.publish(h.now, ch, msg(2)).unwrap();
    h.drive();
    let mut bare = frames::nack(2, 1, ErrorInfo::default());
    bare.error = None;
    h.recv(bare).unwrap();
    assert_eq!(h.take_published()[0].1.as_ref().unwrap_err().code, 50001);
}

#[test]
fn rtl6c2_publish_while_connecting_is_queued_and_sent_on_connect() {
    let mut h = Harness::new(Format::Json);
    let ch = h.conn.channel("a");
    h.conn.publish(h.now, ch, msg(0)).unwrap();
    h.connect();
    h.conn.publish(h.now, ch, msg(1)).unwrap();
    h.drive();
    assert!(h.take_sent().is_empty());
    h.recv(frames::connected("c", "c!1")).unwrap();
    let serials: Vec<_> = h.take_sent().iter().map(|p| p.msg_serial).collect();
    assert_eq!(serials, [Some(0), Some(1)]);
}

#[test]
fn rtl6c4_publish_refused_when_suspended_closed_or_failed() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    h.conn.close(h.now);
    let e = h.conn.publish(h.now, ch, msg(0)).unwrap_err();
    assert_eq!(e.to_error_info().code, 80017);
    assert!(!e.is_retriable());
}

#[test]
fn rsl1i_message_too_large_is_40009() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    let big = Message::new("n", "x".repeat(70_000));
    let e = h.conn.publish(h.now, ch, vec![big]).unwrap_err();
    assert!(matches!(&e, Error::User(i) if i.code == 40009), "{e}");
}

#[test]
fn pending_queue_is_bounded() {
    let mut o = super::harness::options(Format::MsgPack);
    o.max_pending = 3;
    let mut h = super::harness::Harness::with_options(o);
    let ch = h.conn.channel("a");
    for n in 0..3 {
        h.conn.publish(h.now, ch, msg(n)).unwrap();
    }
    let e = h.conn.publish(h.now, ch, msg(3)).unwrap_err();
    assert_eq!(e.to_error_info().code, 40003);
}

#[test]
fn rtn7e_pending_fail_on_failed() {
    let mut h = Harness::connected(Format::Json);
    let ch = h.conn.channel("a");
    h.conn.publish(h.now, ch, msg(0)).unwrap();
    h.drive();
    h.recv(frames::error(None, ErrorInfo::new(50000, 500, "boom")))
        .unwrap();
    assert_eq!(h.conn.state(), S::Failed);
    assert_eq!(h.take_published()[0].1.as_ref().unwrap_err().code, 50000);
}

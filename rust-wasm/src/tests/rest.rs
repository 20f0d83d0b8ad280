//! REST requests and responses as values (RSC7, RSL1, RSL2, RSC16).

use super::harness::options;
use crate::codec::{decode, Format, Value};
use crate::protocol::{Data, Message};
use crate::rest::*;
use crate::{Auth, Error};

fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn rsl1_publish_single_is_an_array_with_idempotent_id() {
    let mut rest = Rest::new(options(Format::Json));
    let req = rest
        .publish("my channel/ü", vec![Message::new("greeting", "hi")])
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        "http://127.0.0.1:9999/channels/my%20channel%2F%C3%BC/messages"
    );
    assert_eq!(header(&req, "content-type"), Some("application/json"));
    assert_eq!(header(&req, "accept"), Some("application/json"));
    assert_eq!(header(&req, "x-ably-version"), Some("6"));
    // RSA11: Basic base64("app.key:secret").
    assert_eq!(
        header(&req, "authorization"),
        Some("Basic YXBwLmtleTpzZWNyZXQ=")
    );
    let body: Vec<Message> = decode(req.body.as_ref().unwrap(), Format::Json).unwrap();
    assert_eq!(body.len(), 1);
    let id = body[0].id.as_deref().unwrap();
    let (base, index) = id.split_once(':').unwrap();
    assert_eq!(
        (base.len(), index),
        (12, "0"),
        "RSL1k1: base64 of 9 bytes, then :index"
    );
}

#[test]
fn rsl1k_batch_ids_share_a_base_and_count_up() {
    let mut rest = Rest::new(options(Format::MsgPack));
    let msgs = (0..3)
        .map(|i| Message::new("n", Data::Binary(vec![i])))
        .collect();
    let req = rest.publish("a", msgs).unwrap();
    assert_eq!(header(&req, "content-type"), Some("application/x-msgpack"));
    let body: Vec<Message> = decode(req.body.as_ref().unwrap(), Format::MsgPack).unwrap();
    let ids: Vec<_> = body.iter().map(|m| m.id.clone().unwrap()).collect();
    let base = ids[0].split_once(':').unwrap().0;
    assert_eq!(
        ids,
        [
            format!("{base}:0"),
            format!("{base}:1"),
            format!("{base}:2")
        ]
    );
    assert_eq!(body[2].data, Data::Binary(vec![2]));
    // A second publish gets a different base; caller-set ids are kept.
    let again = rest.publish("a", vec![Message::new("n", "x")]).unwrap();
    let again: Vec<Message> = decode(again.body.as_ref().unwrap(), Format::MsgPack).unwrap();
    assert_ne!(
        again[0].id.as_deref().unwrap().split_once(':').unwrap().0,
        base
    );
    let own = Message {
        id: Some("mine".into()),
        ..Message::new("n", "x")
    };
    let req = rest.publish("a", vec![own]).unwrap();
    let body: Vec<Message> = decode(req.body.as_ref().unwrap(), Format::MsgPack).unwrap();
    assert_eq!(body[0].id.as_deref(), Some("mine"));
}

#[test]
fn rsl1i_rest_message_too_large() {
    let mut rest = Rest::new(options(Format::Json));
    let e = rest
        .publish("a", vec![Message::new("n", "x".repeat(65_537))])
        .unwrap_err();
    assert_eq!(e.to_error_info().code, 40009);
}

#[test]
fn batch_publish_posts_specs_to_messages() {
    let mut rest = Rest::new(options(Format::Json));
    let spec = BatchSpec {
        channels: vec!["a".into(), "b".into()],
        messages: vec![Message::new("n", "x")],
    };
    let req = rest.batch_publish(vec![spec]).unwrap();
    assert!(req.url.ends_with("/messages") && !req.url.contains("/channels/"));
    let body: Value = decode(req.body.as_ref().unwrap(), Format::Json).unwrap();
    assert_eq!(
        body[0]["channels"],
        Value::Array(vec![Value::Str("a".into()), Value::Str("b".into())])
    );
    assert!(body[0]["messages"][0]["id"]
        .as_str()
        .unwrap()
        .ends_with(":0"));
}

#[test]
fn rsl2_history_query_and_rsa3_bearer_token() {
    let mut o = options(Format::Json);
    o.auth = Auth::Token("tok456".into());
    o.client_id = Some("alice".into());
    let rest = Rest::new(o);
    let p = HistoryParams {
        start: Some(1),
        end: Some(2),
        direction: Some(Direction::Forwards),
        limit: Some(10),
    };
    let req = rest.history("a:b", &p).unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.url,
        "http://127.0.0.1:9999/channels/a%3Ab/messages?start=1&end=2&direction=forwards&limit=10"
    );
    assert_eq!(
        header(&req, "authorization"),
        Some("Bearer dG9rNDU2"),
        "RSA3b: Bearer base64(token)"
    );
    assert_eq!(header(&req, "x-ably-clientid"), Some("YWxpY2U="));
    assert!(req.body.is_none());
    let too_many = HistoryParams {
        limit: Some(1001),
        ..Default::default()
    };
    assert!(matches!(rest.history("a", &too_many), Err(Error::User(_))));
    let next = rest.history_next("a", "?limit=2&end=100");
    assert!(next.url.ends_with("/channels/a/messages?limit=2&end=100"));
}

#[test]
fn rsc16_time_is_json_without_auth() {
    let rest = Rest::new(options(Format::MsgPack));
    let req = rest.time();
    assert!(req.url.ends_with("/time"));
    assert_eq!(header(&req, "accept"), Some("application/json"));
    assert_eq!(header(&req, "authorization"), None);
    let resp = Response {
        status: 200,
        body: b"[1700000000000]",
        ..Default::default()
    };
    assert_eq!(parse_time(&resp).unwrap(), 1_700_000_000_000);
}

#[test]
fn publish_response_201_and_errors() {
    let body = br#"{"channel":"a","messageId":"abc:0","serials":["s1",null]}"#;
    let ok = Response {
        status: 201,
        content_type: Some("application/json"),
        body,
        ..Default::default()
    };
    let r = parse_publish(&ok, Format::Json).unwrap();
    assert_eq!(r.serials, [Some("s1".to_string()), None]);
    let empty = Response {
        status: 204,
        ..Default::default()
    };
    assert!(parse_publish(&empty, Format::Json)
        .unwrap()
        .serials
        .is_empty());

    let err_body = br#"{"error":{"message":"Invalid credentials","code":40101,"statusCode":401}}"#;
    let bad = Response {
        status: 401,
        content_type: Some("application/json"),
        body: err_body,
        ..Default::default()
    };
    let e = parse_publish(&bad, Format::MsgPack).unwrap_err();
    assert!(matches!(&e, Error::Server(i) if i.code == 40101 && i.status_code == 401));
    // No body: fall back to X-Ably-Error* headers, then to the status.
    let hdr = Response {
        status: 404,
        error_code: Some("40400"),
        error_message: Some("nope"),
        ..Default::default()
    };
    let i = parse_error(&hdr, Format::Json);
    assert_eq!(
        (i.code, i.status_code, i.message.as_str()),
        (40400, 404, "nope")
    );
    let bare = Response {
        status: 500,
        body: b"<html>",
        ..Default::default()
    };
    assert_eq!(parse_error(&bare, Format::Json).code, 50000);
    assert!(Error::Server(parse_error(&bare, Format::Json)).is_retriable());
}

#[test]
fn history_page_with_link_pagination_in_both_formats() {
    let msgs = vec![
        Message {
            id: Some("a:0".into()),
            timestamp: Some(5),
            ..Message::new("e", Data::Binary(vec![1]))
        },
        Message::new("e", Data::Json(r#"{"k":1}"#.into())),
    ];
    for f in [Format::Json, Format::MsgPack] {
        let body = crate::codec::encode(&msgs, f);
        let resp = Response {
            status: 200,
            content_type: Some(f.mime()),
            link: Some(
                r#"<./messages?limit=2&end=4>; rel="next", <./messages?limit=2>; rel="first""#,
            ),
            body: &body,
            ..Default::default()
        };
        let page = parse_history(&resp, Format::Json).unwrap();
        assert_eq!(page.items, msgs, "{f:?}");
        assert_eq!(page.next.as_deref(), Some("?limit=2&end=4"));
    }
    let last = Response {
        status: 200,
        body: b"[]",
        ..Default::default()
    };
    assert_eq!(parse_history(&last, Format::Json).unwrap(), Page::default());
    let junk = Response {
        status: 200,
        body: b"[1,2",
        ..Default::default()
    };
    assert!(matches!(
        parse_history(&junk, Format::Json),
        Err(Error::Decode(_))
    ));
}

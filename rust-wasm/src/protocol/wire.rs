//! The wire form of every protocol type, for JSON and msgpack alike: maps with camelCase keys,
//! absent fields omitted (ably-js writes sparse maps), unknown keys skipped, `null` read as
//! absent. Keys are written in the order of the struct's fields.

use std::collections::BTreeMap;

use crate::codec::{
    self, opt, opt_string, string, Decode, DecodeError, Encode, Kind, Read, Reader, Value, Write,
    Writer,
};
use crate::protocol::payload::{from_wire, to_wire, WireData};
use crate::protocol::{
    Action, AuthDetails, ConnectionDetails, Data, ErrorInfo, Flags, Message, PresenceAction,
    PresenceMessage, ProtocolMessage, PublishResult,
};

fn count(present: &[bool]) -> usize {
    present.iter().filter(|p| **p).count()
}

fn put_str(w: &mut Writer<'_>, k: &str, v: Option<&str>) {
    if let Some(v) = v {
        w.key(k);
        w.str(v);
    }
}

fn put_u64(w: &mut Writer<'_>, k: &str, v: Option<u64>) {
    if let Some(v) = v {
        w.key(k);
        w.u64(v);
    }
}

fn put_i64(w: &mut Writer<'_>, k: &str, v: Option<i64>) {
    if let Some(v) = v {
        w.key(k);
        w.i64(v);
    }
}

fn put_value(w: &mut Writer<'_>, k: &str, v: Option<&Value>) {
    if let Some(v) = v {
        w.key(k);
        v.write(w);
    }
}

fn put<T: Encode>(w: &mut Writer<'_>, k: &str, v: Option<&T>) {
    if let Some(v) = v {
        w.key(k);
        v.encode(w);
    }
}

fn opt_i64<'de>(r: &mut Reader<'de>) -> Result<Option<i64>, DecodeError> {
    opt(r, |r| r.i64())
}

fn opt_u64<'de>(r: &mut Reader<'de>) -> Result<Option<u64>, DecodeError> {
    opt(r, |r| r.u64())
}

fn opt_value<'de>(r: &mut Reader<'de>) -> Result<Option<Value>, DecodeError> {
    opt(r, Value::read)
}

/// A list field; `null` reads as empty.
fn list<'de, T: Decode>(r: &mut Reader<'de>) -> Result<Vec<T>, DecodeError> {
    Ok(opt(r, Vec::<T>::decode)?.unwrap_or_default())
}

fn missing(field: &'static str) -> DecodeError {
    DecodeError::malformed(field)
}

impl WireData<'_> {
    fn write(&self, w: &mut Writer<'_>) {
        match self {
            WireData::None => w.null(),
            WireData::Str(s) => w.str(s),
            WireData::Owned(s) => w.str(s),
            WireData::Bytes(b) => w.bin(b),
        }
    }
}

/// The raw `data` field: a string, bytes, or (leniently) any JSON value, kept as JSON text.
fn read_data<'de>(r: &mut Reader<'de>) -> Result<Data, DecodeError> {
    Ok(match r.peek()? {
        Kind::Null => {
            r.null()?;
            Data::None
        }
        Kind::Str => match r.str_or_bytes()? {
            Ok(s) => Data::Text(s.into_owned()),
            Err(b) => Data::Binary(b.to_vec()),
        },
        Kind::Bin => Data::Binary(r.bin()?.to_vec()),
        _ => Data::Json(Value::read(r)?.to_json()),
    })
}

impl Decode for Action {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        codec::u8(r).map(Action::from_u8)
    }
}

impl Decode for ErrorInfo {
    // Lenient (TI1): missing fields default, `reason` is accepted for `message`.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut e = ErrorInfo::default();
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "message" | "reason" => e.message = opt_string(r)?.unwrap_or_default(),
                "code" => e.code = opt(r, codec::u32)?.unwrap_or_default(),
                "statusCode" => e.status_code = opt(r, codec::u16)?.unwrap_or_default(),
                "href" => e.href = opt_string(r)?,
                _ => r.skip()?,
            }
        }
        Ok(e)
    }
}

impl Encode for ErrorInfo {
    fn encode(&self, w: &mut Writer<'_>) {
        w.map(3 + usize::from(self.href.is_some()));
        w.key("message");
        w.str(&self.message);
        w.key("code");
        w.u64(u64::from(self.code));
        w.key("statusCode");
        w.u64(u64::from(self.status_code));
        put_str(w, "href", self.href.as_deref());
        w.end_map();
    }
}

impl Decode for ConnectionDetails {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut d = ConnectionDetails::default();
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "clientId" => d.client_id = opt_string(r)?,
                "connectionKey" => d.connection_key = opt_string(r)?,
                "maxMessageSize" => d.max_message_size = opt_u64(r)?,
                "maxFrameSize" => d.max_frame_size = opt_u64(r)?,
                "maxInboundRate" => d.max_inbound_rate = opt_u64(r)?,
                "connectionStateTtl" => d.connection_state_ttl = opt_u64(r)?,
                "maxIdleInterval" => d.max_idle_interval = opt_u64(r)?,
                "serverId" => d.server_id = opt_string(r)?,
                "siteCode" => d.site_code = opt_string(r)?,
                _ => r.skip()?,
            }
        }
        Ok(d)
    }
}

impl Encode for ConnectionDetails {
    fn encode(&self, w: &mut Writer<'_>) {
        w.map(count(&[
            self.client_id.is_some(),
            self.connection_key.is_some(),
            self.max_message_size.is_some(),
            self.max_frame_size.is_some(),
            self.max_inbound_rate.is_some(),
            self.connection_state_ttl.is_some(),
            self.max_idle_interval.is_some(),
            self.server_id.is_some(),
            self.site_code.is_some(),
        ]));
        put_str(w, "clientId", self.client_id.as_deref());
        put_str(w, "connectionKey", self.connection_key.as_deref());
        put_u64(w, "maxMessageSize", self.max_message_size);
        put_u64(w, "maxFrameSize", self.max_frame_size);
        put_u64(w, "maxInboundRate", self.max_inbound_rate);
        put_u64(w, "connectionStateTtl", self.connection_state_ttl);
        put_u64(w, "maxIdleInterval", self.max_idle_interval);
        put_str(w, "serverId", self.server_id.as_deref());
        put_str(w, "siteCode", self.site_code.as_deref());
        w.end_map();
    }
}

impl Decode for Message {
    // RSL6: decode on receipt; a malformed payload keeps its encoding for the app to see.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut m = Message::default();
        let (mut data, mut encoding) = (Data::None, None);
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "id" => m.id = opt_string(r)?,
                "name" => m.name = opt_string(r)?,
                "data" => data = read_data(r)?,
                "encoding" => encoding = opt_string(r)?,
                "clientId" => m.client_id = opt_string(r)?,
                "connectionId" => m.connection_id = opt_string(r)?,
                "connectionKey" => m.connection_key = opt_string(r)?,
                "timestamp" => m.timestamp = opt_i64(r)?,
                "extras" => m.extras = opt_value(r)?,
                "action" => m.action = opt(r, codec::u8)?,
                "serial" => m.serial = opt_string(r)?,
                "version" => m.version = opt_value(r)?,
                _ => r.skip()?,
            }
        }
        (m.data, m.encoding, _) = from_wire(data, encoding);
        Ok(m)
    }
}

impl Encode for Message {
    // RSL4: the wire form of the payload depends on the transport.
    fn encode(&self, w: &mut Writer<'_>) {
        let (data, encoding) = to_wire(&self.data, self.encoding.as_deref(), w.is_text());
        w.map(count(&[
            self.id.is_some(),
            self.name.is_some(),
            !data.is_none(),
            encoding.is_some(),
            self.client_id.is_some(),
            self.connection_id.is_some(),
            self.connection_key.is_some(),
            self.timestamp.is_some(),
            self.extras.is_some(),
            self.action.is_some(),
            self.serial.is_some(),
            self.version.is_some(),
        ]));
        put_str(w, "id", self.id.as_deref());
        put_str(w, "name", self.name.as_deref());
        if !data.is_none() {
            w.key("data");
            data.write(w);
        }
        put_str(w, "encoding", encoding.as_deref());
        put_str(w, "clientId", self.client_id.as_deref());
        put_str(w, "connectionId", self.connection_id.as_deref());
        put_str(w, "connectionKey", self.connection_key.as_deref());
        put_i64(w, "timestamp", self.timestamp);
        put_value(w, "extras", self.extras.as_ref());
        put_u64(w, "action", self.action.map(u64::from));
        put_str(w, "serial", self.serial.as_deref());
        put_value(w, "version", self.version.as_ref());
        w.end_map();
    }
}

impl Decode for PresenceMessage {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut m = PresenceMessage::default();
        let (mut data, mut encoding) = (Data::None, None);
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "action" => m.action = PresenceAction::from(opt(r, codec::u8)?.unwrap_or_default()),
                "id" => m.id = opt_string(r)?,
                "clientId" => m.client_id = opt_string(r)?,
                "connectionId" => m.connection_id = opt_string(r)?,
                "data" => data = read_data(r)?,
                "encoding" => encoding = opt_string(r)?,
                "timestamp" => m.timestamp = opt_i64(r)?,
                "extras" => m.extras = opt_value(r)?,
                _ => r.skip()?,
            }
        }
        (m.data, m.encoding, _) = from_wire(data, encoding);
        Ok(m)
    }
}

impl Encode for PresenceMessage {
    fn encode(&self, w: &mut Writer<'_>) {
        let (data, encoding) = to_wire(&self.data, self.encoding.as_deref(), w.is_text());
        w.map(
            1 + count(&[
                self.id.is_some(),
                self.client_id.is_some(),
                self.connection_id.is_some(),
                !data.is_none(),
                encoding.is_some(),
                self.timestamp.is_some(),
                self.extras.is_some(),
            ]),
        );
        w.key("action");
        w.u64(u64::from(u8::from(self.action)));
        put_str(w, "id", self.id.as_deref());
        put_str(w, "clientId", self.client_id.as_deref());
        put_str(w, "connectionId", self.connection_id.as_deref());
        if !data.is_none() {
            w.key("data");
            data.write(w);
        }
        put_str(w, "encoding", encoding.as_deref());
        put_i64(w, "timestamp", self.timestamp);
        put_value(w, "extras", self.extras.as_ref());
        w.end_map();
    }
}

impl Decode for PublishResult {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut p = PublishResult::default();
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "serials" => {
                    if let Some(mut items) = opt(r, |r| r.array())? {
                        while r.next_item(&mut items)? {
                            p.serials.push(opt_string(r)?);
                        }
                    }
                }
                _ => r.skip()?,
            }
        }
        Ok(p)
    }
}

impl Encode for PublishResult {
    fn encode(&self, w: &mut Writer<'_>) {
        w.map(1);
        w.key("serials");
        w.array(self.serials.len());
        for s in &self.serials {
            match s {
                Some(s) => w.str(s),
                None => w.null(),
            }
        }
        w.end_array();
        w.end_map();
    }
}

impl Decode for AuthDetails {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut token = None;
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "accessToken" => token = Some(string(r)?),
                _ => r.skip()?,
            }
        }
        Ok(AuthDetails {
            access_token: token.ok_or(missing("AUTH without accessToken"))?,
        })
    }
}

impl Encode for AuthDetails {
    fn encode(&self, w: &mut Writer<'_>) {
        w.map(1);
        w.key("accessToken");
        w.str(&self.access_token);
        w.end_map();
    }
}

fn read_params<'de>(r: &mut Reader<'de>) -> Result<BTreeMap<String, String>, DecodeError> {
    let mut params = BTreeMap::new();
    let mut seq = r.map()?;
    while let Some(k) = r.next_key(&mut seq)? {
        let k = k.into_owned();
        params.insert(k, string(r)?);
    }
    Ok(params)
}

impl Decode for ProtocolMessage {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut pm = ProtocolMessage::default();
        let mut action = None;
        let mut seq = r.map()?;
        while let Some(k) = r.next_key(&mut seq)? {
            match &*k {
                "action" => action = Some(Action::decode(r)?),
                "flags" => pm.flags = opt(r, codec::u32)?.map(Flags),
                "count" => pm.count = opt(r, codec::u32)?,
                "error" => pm.error = opt(r, ErrorInfo::decode)?,
                "id" => pm.id = opt_string(r)?,
                "channel" => pm.channel = opt_string(r)?,
                "channelSerial" => pm.channel_serial = opt_string(r)?,
                "connectionId" => pm.connection_id = opt_string(r)?,
                "connectionKey" => pm.connection_key = opt_string(r)?,
                "msgSerial" => pm.msg_serial = opt_u64(r)?,
                "timestamp" => pm.timestamp = opt_i64(r)?,
                "messages" => pm.messages = list(r)?,
                "presence" => pm.presence = list(r)?,
                "connectionDetails" => pm.connection_details = opt(r, ConnectionDetails::decode)?,
                "params" => pm.params = opt(r, read_params)?,
                "res" => pm.res = opt(r, Vec::<PublishResult>::decode)?,
                "auth" => pm.auth = opt(r, AuthDetails::decode)?,
                _ => r.skip()?,
            }
        }
        pm.action = action.ok_or(missing("no action"))?;
        Ok(pm)
    }
}

impl Encode for ProtocolMessage {
    fn encode(&self, w: &mut Writer<'_>) {
        w.map(
            1 + count(&[
                self.flags.is_some(),
                self.count.is_some(),
                self.error.is_some(),
                self.id.is_some(),
                self.channel.is_some(),
                self.channel_serial.is_some(),
                self.connection_id.is_some(),
                self.connection_key.is_some(),
                self.msg_serial.is_some(),
                self.timestamp.is_some(),
                !self.messages.is_empty(),
                !self.presence.is_empty(),
                self.connection_details.is_some(),
                self.params.is_some(),
                self.res.is_some(),
                self.auth.is_some(),
            ]),
        );
        w.key("action");
        w.u64(u64::from(self.action.as_u8()));
        put_u64(w, "flags", self.flags.map(|f| u64::from(f.0)));
        put_u64(w, "count", self.count.map(u64::from));
        put(w, "error", self.error.as_ref());
        put_str(w, "id", self.id.as_deref());
        put_str(w, "channel", self.channel.as_deref());
        put_str(w, "channelSerial", self.channel_serial.as_deref());
        put_str(w, "connectionId", self.connection_id.as_deref());
        put_str(w, "connectionKey", self.connection_key.as_deref());
        put_u64(w, "msgSerial", self.msg_serial);
        put_i64(w, "timestamp", self.timestamp);
        if !self.messages.is_empty() {
            w.key("messages");
            self.messages.encode(w);
        }
        if !self.presence.is_empty() {
            w.key("presence");
            self.presence.encode(w);
        }
        put(w, "connectionDetails", self.connection_details.as_ref());
        if let Some(params) = &self.params {
            w.key("params");
            w.map(params.len());
            for (k, v) in params {
                w.key(k);
                w.str(v);
            }
            w.end_map();
        }
        put(w, "res", self.res.as_ref());
        put(w, "auth", self.auth.as_ref());
        w.end_map();
    }
}

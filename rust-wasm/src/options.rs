//! Client options (TO3), shared by the realtime [`Connection`](crate::Connection) and
//! [`rest::Rest`](crate::rest::Rest).

use std::time::Duration;

use crate::codec::{Format, Limits};
use crate::util::{decimal::decimal, percent};

/// How the client authenticates (RSA1, RSA4).
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// Basic auth with an API key `appId.keyId:secret` (RSA11).
    Key(String),
    /// A token string (RSA3): `access_token=` on WS, `Bearer base64(token)` on REST.
    Token(String),
}

impl std::fmt::Debug for ClientOptions {
    // Never print secrets: the key's secret, a token, or a recovery key (whoever holds one can
    // take over that connection).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("auth", &self.auth)
            .field("client_id", &self.client_id)
            .field("endpoint", &self.endpoint)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("format", &self.format)
            .field("echo_messages", &self.echo_messages)
            .field("heartbeats", &self.heartbeats)
            .field("agent", &self.agent)
            .field("transport_params", &self.transport_params)
            .field("timeouts", &self.timeouts)
            .field("limits", &self.limits)
            .field("max_pending", &self.max_pending)
            .field(
                "idempotent_rest_publishing",
                &self.idempotent_rest_publishing,
            )
            .field("rng_seed", &self.rng_seed)
            .field("recover", &self.recover.as_ref().map(|_| "…"))
            .finish()
    }
}

impl std::fmt::Debug for Auth {
    // Never print secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Key(k) => write!(f, "Key({}:…)", k.split(':').next().unwrap_or("")),
            Auth::Token(_) => f.write_str("Token(…)"),
        }
    }
}

/// Protocol timeouts (TO3l), all overridable; tests shorten them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// `realtimeRequestTimeout` (TO3l11): waits for CONNECTED/ATTACHED/DETACHED/CLOSED; idle slack.
    pub realtime_request: Duration,
    /// `webSocketConnectTimeout`: added to `realtime_request` while connecting (RTN14c).
    pub web_socket_connect: Duration,
    /// `disconnectedRetryTimeout` (TO3l1, RTN14d).
    pub disconnected_retry: Duration,
    /// `suspendedRetryTimeout` (TO3l2, RTN14e).
    pub suspended_retry: Duration,
    /// `channelRetryTimeout` (TO3l7, RTL13b).
    pub channel_retry: Duration,
    /// `connectionStateTtl` default (RTN14e), replaced by `connectionDetails`.
    pub connection_state_ttl: Duration,
    /// `httpRequestTimeout` (TO3l4), for the REST driver.
    pub http_request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            realtime_request: Duration::from_secs(10),
            web_socket_connect: Duration::from_secs(10),
            disconnected_retry: Duration::from_secs(15),
            suspended_retry: Duration::from_secs(30),
            channel_retry: Duration::from_secs(15),
            connection_state_ttl: Duration::from_secs(120),
            http_request: Duration::from_secs(10),
        }
    }
}

/// Client options (TO3). `ClientOptions::new("appId.keyId:secret")`.
#[derive(Clone)]
pub struct ClientOptions {
    /// Key or token.
    pub auth: Auth,
    /// `clientId` (RSA7, TO3a).
    pub client_id: Option<String>,
    /// Host name or IP (REC1b: used verbatim); default `main.realtime.ably.net`.
    pub endpoint: String,
    /// Port; default 443 with TLS, 80 without.
    pub port: Option<u16>,
    /// `tls` (TO3d), default true.
    pub tls: bool,
    /// `useBinaryProtocol` (TO3f): msgpack by default.
    pub format: Format,
    /// `echoMessages` (TO3h), default true.
    pub echo_messages: bool,
    /// Ask the server for HEARTBEAT frames (RTN23b); browsers cannot see WS pings, so true.
    pub heartbeats: bool,
    /// `Ably-Agent` / `agent=` value.
    pub agent: String,
    /// Extra realtime query params (`transportParams`), appended last.
    pub transport_params: Vec<(String, String)>,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// Decoder limits for frames and bodies.
    pub limits: Limits,
    /// Bound on publishes queued or awaiting ACK (no unbounded queues).
    pub max_pending: usize,
    /// `idempotentRestPublishing` (TO3n, RSL1k), default true.
    pub idempotent_rest_publishing: bool,
    /// Seed for retry jitter, idempotent ids and ping ids; the shell seeds it from
    /// `crypto.getRandomValues`.
    pub rng_seed: u64,
    /// `recover` (TO3i, RTN16): a recovery key from
    /// [`Connection::create_recovery_key`](crate::Connection::create_recovery_key) (or ably-js's
    /// `connection.createRecoveryKey()`). Used by the first connection only.
    pub recover: Option<String>,
}

impl ClientOptions {
    /// Options from a key (`appId.keyId:secret`, contains `:`) or a token string (RSC1).
    pub fn new(key_or_token: &str) -> Self {
        let auth = if key_or_token.contains(':') {
            Auth::Key(key_or_token.to_owned())
        } else {
            Auth::Token(key_or_token.to_owned())
        };
        ClientOptions {
            auth,
            client_id: None,
            endpoint: "main.realtime.ably.net".to_owned(),
            port: None,
            tls: true,
            format: Format::MsgPack,
            echo_messages: true,
            heartbeats: true,
            agent: ["ably-rust-wasm/", crate::VERSION].concat(),
            transport_params: Vec::new(),
            timeouts: Timeouts::default(),
            limits: Limits::default(),
            max_pending: 10_000,
            idempotent_rest_publishing: true,
            rng_seed: 0x5EED,
            recover: None,
        }
    }

    /// The port in use (`getPort`, RSC11, RTN2).
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(if self.tls { 443 } else { 80 })
    }

    /// `http(s)://host:port` (REST base URI).
    pub fn rest_base(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        [
            scheme,
            "://",
            &self.endpoint,
            ":",
            &decimal(u64::from(self.port())),
        ]
        .concat()
    }

    /// The realtime URL (RTN2): `ws(s)://host:port/?key=…&resume=…&format=…&v=6…`,
    /// params in ably-js order.
    pub fn realtime_url(&self, resume: Option<&str>) -> String {
        self.connect_url(resume, None)
    }

    /// [`realtime_url`](Self::realtime_url), or with `recover=<connectionKey>` (RTN16k) in the
    /// place of `resume` when recovering.
    pub(crate) fn connect_url(&self, resume: Option<&str>, recover: Option<&str>) -> String {
        let scheme = if self.tls { "wss" } else { "ws" };
        let port = decimal(u64::from(self.port()));
        let mut url = [scheme, "://", &self.endpoint, ":", &port, "/?"].concat();
        let mut param = |k: &str, v: &str| {
            if !url.ends_with('?') {
                url.push('&');
            }
            percent::encode_into(k, &mut url);
            url.push('=');
            percent::encode_into(v, &mut url);
        };
        match &self.auth {
            Auth::Key(k) => param("key", k),            // RSA11, RTN2
            Auth::Token(t) => param("access_token", t), // RSA3c
        }
        if let Some(key) = resume {
            param("resume", key); // RTN15b1
        } else if let Some(key) = recover {
            param("recover", key); // RTN16k
        }
        if let Some(id) = &self.client_id {
            param("clientId", id); // RTN2d
        }
        if !self.echo_messages {
            param("echo", "false"); // RTN2b
        }
        param("format", self.format.as_str()); // RTN2a
        param("heartbeats", if self.heartbeats { "true" } else { "false" }); // RTN23b
        param("v", crate::protocol::PROTOCOL_VERSION); // RTN2f
        param("agent", &self.agent); // RTN2g
        for (k, v) in &self.transport_params {
            param(k, v);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtn2_url_params_in_ably_js_order() {
        let mut o = ClientOptions::new("app.key:secret");
        o.endpoint = "127.0.0.1".into();
        o.port = Some(8080);
        o.tls = false;
        o.client_id = Some("alice".into());
        o.agent = "x/1".into();
        assert_eq!(
            o.realtime_url(Some("conn1!1")),
            "ws://127.0.0.1:8080/?key=app.key%3Asecret&resume=conn1!1&clientId=alice\
             &format=msgpack&heartbeats=true&v=6&agent=x%2F1"
        );
        o.echo_messages = false;
        o.auth = Auth::Token("tok".into());
        assert!(o
            .realtime_url(None)
            .starts_with("ws://127.0.0.1:8080/?access_token=tok&clientId"));
        assert!(o.realtime_url(None).contains("&echo=false&"));
        assert_eq!(
            format!("{:?}", Auth::Key("a.b:secret".into())),
            "Key(a.b:…)"
        );
    }

    #[test]
    fn debug_output_hides_every_secret() {
        let mut o = ClientOptions::new("app.key:keysecret");
        o.recover = Some(r#"{"connectionKey":"k!conn","msgSerial":3,"channelSerials":{}}"#.into());
        let shown = format!("{o:?}");
        for secret in ["keysecret", "k!conn", "msgSerial"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("recover: Some(\"…\")"), "{shown}");
        assert!(shown.contains("endpoint"), "{shown}");
        o.auth = Auth::Token("tokensecret".into());
        assert!(!format!("{o:?}").contains("tokensecret"));
    }
}

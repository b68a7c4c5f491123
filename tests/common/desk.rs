//! The agents side of the harness: the demo's agents as config (passwords `agentN-demo`, only
//! their HA1 in the config, as in sip-config/hotline.toml), and a desk client that signs in over
//! HTTP and follows its WebSocket of desk events.

use super::softphone::{Answer, Softphone};
use super::{Route, Server, ServerOptions, http_request_with, repo_dir, wait_for};
use serde_json::Value;
use std::net::TcpStream;
use std::time::{Duration, Instant};
use tungstenite::stream::MaybeTlsStream;

/// The demo's skill groups (DEMO.md), and its supervisor, who takes no calls.
pub const DEMO_SKILLS: [(&str, &str); 5] = [
    ("agent1", "{ orders = 5, support = 2 }"),
    ("agent2", "{ orders = 3, billing = 2 }"),
    ("agent3", "{ billing = 5 }"),
    ("agent4", "{ support = 5 }"),
    ("supervisor1", "{}\nsupervisor = true"),
];

/// The demo password of an agent.
pub fn password(agent: &str) -> String {
    format!("{agent}-demo")
}

/// `[acd]` with the demo's hold music and these settings (TOML lines), then the demo agents.
pub fn agents_config(acd: &str) -> String {
    let music = repo_dir().join("prompts/demo/audio/hold-music.wav");
    let mut config = format!(
        "\n[acd]\nrealm = \"hotline\"\nhold_music = \"{}\"\n{acd}\n",
        music.display()
    );
    for (name, skills) in DEMO_SKILLS {
        let hash = hotline::sip::digest::ha1(name, "hotline", &password(name));
        config += &format!(
            "\n[[agents]]\nname = \"{name}\"\npassword_ha1 = \"{hash}\"\nskills = {skills}\n"
        );
    }
    config
}

/// The number routed (key-only) to `tests/flows/queues.flow.toml`: 1 for orders, 3 for billing.
pub const QUEUES: &str = "2000";

/// A server with the demo agents, `[acd]` settings `acd`, and the queue test flow on
/// [`QUEUES`].
pub fn queue_server(acd: &str) -> Server {
    queue_server_with(acd, "")
}

/// Like [`queue_server`], with more config (other sections) after the agents.
pub fn queue_server_with(acd: &str, extra: &str) -> Server {
    Server::start(ServerOptions {
        routes: vec![Route {
            number: QUEUES.into(),
            flow: "queues".into(),
            mode: "dtmf".into(),
            ring_time: "0s".into(),
        }],
        flows_dir: repo_dir().join("tests/flows"),
        extra_config: agents_config(acd) + extra,
        rtp_ports: 80,
        ..ServerOptions::default()
    })
}

/// The agent's softphone, registered with the demo password.
pub fn phone(server: &Server, name: &str, answer: Answer) -> Softphone {
    Softphone::agent(server.sip, name, &password(name), answer, None)
}

/// Signs the agent's desk in and waits until their phone made them available.
pub fn available(server: &Server, name: &str) -> Desk {
    let desk = Desk::login(server, name);
    desk.wait_status(Duration::from_secs(10), |status| {
        status["contacts"] == 1 && status["presence"] == "available"
    });
    desk
}

/// A signed-in agent desk.
pub struct Desk {
    pub agent: String,
    pub token: String,
    http: std::net::SocketAddr,
}

impl Desk {
    /// Signs `agent` in with the demo password.
    pub fn login(server: &Server, agent: &str) -> Desk {
        let body = serde_json::json!({"agent": agent, "password": password(agent)}).to_string();
        let (status, answer) =
            http_request_with(server.http, "POST", "/api/agent/login", Some(&body), &[])
                .expect("login request");
        assert_eq!(status, 200, "login of {agent}: {answer}");
        let answer: Value = serde_json::from_str(&answer).expect("login JSON");
        Desk {
            agent: agent.to_string(),
            token: answer["token"].as_str().expect("token").to_string(),
            http: server.http,
        }
    }

    /// An authenticated request; returns the status and the body as JSON (or a string).
    pub fn request(&self, method: &str, path: &str, json: Option<Value>) -> (u16, Value) {
        super::json_request(self.http, &self.token, method, path, json)
    }

    /// `GET /api/agent/me`.
    pub fn me(&self) -> Value {
        let (status, me) = self.request("GET", "/api/agent/me", None);
        assert_eq!(status, 200, "{me}");
        me
    }

    /// Waits until the agent's status matches (presence, contacts, call...).
    pub fn wait_status(&self, timeout: Duration, predicate: impl Fn(&Value) -> bool) -> Value {
        wait_for(timeout, || {
            let me = self.me();
            predicate(&me["agent"]).then_some(me)
        })
        .unwrap_or_else(|| panic!("{}: status never matched; last: {}", self.agent, self.me()))
    }

    /// Opens the desk's WebSocket.
    pub fn events(&self) -> DeskEvents {
        let url = format!("ws://{}/api/agent/ws?token={}", self.http, self.token);
        let (socket, _) = tungstenite::connect(url.as_str()).expect("desk WebSocket connects");
        if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
        }
        DeskEvents {
            socket,
            seen: Vec::new(),
        }
    }
}

/// Desk events as they arrive.
pub struct DeskEvents {
    socket: tungstenite::WebSocket<MaybeTlsStream<TcpStream>>,
    /// Every event so far, in order.
    pub seen: Vec<Value>,
}

impl DeskEvents {
    /// The first event (from the start) of this type matching `predicate`, waiting for it.
    pub fn wait(
        &mut self,
        kind: &str,
        timeout: Duration,
        predicate: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(event) = self
                .seen
                .iter()
                .find(|event| event["type"] == kind && predicate(event))
            {
                return event.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no {kind} desk event within {timeout:?}; seen: {:#?}",
                self.seen
            );
            match self.socket.read() {
                Ok(tungstenite::Message::Text(text)) => {
                    self.seen
                        .push(serde_json::from_str(&text).expect("desk events are JSON"));
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(error))
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(error) => panic!("desk WebSocket failed: {error}; seen: {:#?}", self.seen),
            }
        }
    }
}

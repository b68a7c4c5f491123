//! The registrar with real clients: baresip registers over TCP with digest auth and signs its
//! agent in, quitting signs them out; wrong passwords are refused, logged and lock the address
//! out; a browser-style client registers over SIP-over-WebSocket.

mod common;

use common::SECOND;
use common::desk::{Desk, agents_config, available, password, phone};
use common::softphone::{Answer, Softphone};
use common::{Server, ServerOptions};
use md5::{Digest, Md5};
use std::time::Duration;

fn server(acd: &str) -> Server {
    Server::start(ServerOptions {
        extra_config: agents_config(acd),
        ..ServerOptions::default()
    })
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[test]
fn agents_register_with_digest_auth_and_repeated_wrong_passwords_lock_the_address_out() {
    let server = server("failed_logins = 2\nlockout = \"60s\"");
    // The right password over TCP: registered, and signing the agent in.
    let mut agent1 = Softphone::start(
        &format!(
            "<sip:agent1@{};transport=tcp>;auth_pass={};answermode=auto;regint=60",
            server.sip,
            password("agent1")
        ),
        None,
    );
    let desk = available(&server, "agent1");
    let over_tcp = server
        .log_text()
        .lines()
        .any(|line| line.contains("registered") && line.contains("agent1") && line.contains("TCP"));
    assert!(over_tcp, "not registered over TCP:\n{}", server.log_text());
    // Unregistering (quitting) signs the agent out.
    agent1.quit();
    desk.wait_status(10 * SECOND, |status| {
        status["contacts"] == 0 && status["presence"] == "offline"
    });
    // Wrong passwords are refused and logged; the second one locks 127.0.0.1 out, so even the
    // right password is refused for a while.
    for attempt in 1..=2 {
        let wrong = Softphone::agent(server.sip, "agent2", "guess", Answer::Automatically, None);
        let refused = common::wait_for(10 * SECOND, || {
            (server.log_text().matches("REGISTER refused").count() >= attempt).then_some(())
        });
        assert!(refused.is_some(), "{}", wrong.log());
    }
    let log = server.log_text();
    assert!(log.contains("wrong credentials"), "{log}");
    let _right = phone(&server, "agent2", Answer::Automatically);
    let locked = common::wait_for(10 * SECOND, || {
        server
            .log_text()
            .contains("too many failed attempts, try again later")
            .then_some(())
    });
    assert!(locked.is_some(), "{}", server.log_text());
    let desk2 = Desk::login(&server, "agent2");
    std::thread::sleep(2 * SECOND);
    assert_eq!(desk2.me()["agent"]["contacts"], 0);
}

#[test]
fn a_browser_softphone_registers_over_websocket() {
    let websocket = common::free_port();
    let server = Server::start(ServerOptions {
        extra_config: agents_config(""),
        sip_websocket: Some(websocket),
        ..ServerOptions::default()
    });
    // The SIP stack opens its WebSocket listener as it starts serving, which may be a moment
    // after HTTP answers.
    let listening = common::wait_for(Duration::from_secs(5), || {
        std::net::TcpStream::connect(("127.0.0.1", websocket)).ok()
    });
    assert!(
        listening.is_some(),
        "the SIP WebSocket never listened:\n{}",
        server.log_text()
    );
    let url = format!("ws://127.0.0.1:{websocket}");
    let mut request = tungstenite::client::IntoClientRequest::into_client_request(url.as_str())
        .expect("a WebSocket URL");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "sip".parse().unwrap());
    let (mut socket, response) = tungstenite::connect(request).expect("SIP WebSocket connects");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .map(|value| value.as_bytes()),
        Some(&b"sip"[..])
    );
    let register = |sequence: u32, authorization: &str| {
        format!(
            "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS browser.invalid;branch=z9hG4bKws{sequence};rport\r\n\
             Max-Forwards: 70\r\nTo: <sip:agent4@127.0.0.1>\r\nFrom: <sip:agent4@127.0.0.1>;tag=browser\r\n\
             Call-ID: websocket-register\r\nCSeq: {sequence} REGISTER\r\n\
             Contact: <sip:desk@browser.invalid;transport=ws>;expires=300\r\n{authorization}Content-Length: 0\r\n\r\n"
        )
    };
    let mut exchange = |message: String| -> String {
        socket
            .send(tungstenite::Message::text(message))
            .expect("sent");
        loop {
            match socket.read().expect("a response") {
                tungstenite::Message::Text(text) => return text.to_string(),
                tungstenite::Message::Binary(bytes) => {
                    return String::from_utf8_lossy(&bytes).into_owned();
                }
                _ => {}
            }
        }
    };
    let challenge = exchange(register(1, ""));
    assert!(challenge.starts_with("SIP/2.0 401"), "{challenge}");
    let nonce = challenge
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a nonce")
        .to_string();
    let ha1 = hotline::sip::digest::ha1("agent4", "hotline", &password("agent4"));
    let uri = "sip:127.0.0.1";
    let ha2 = md5_hex(&format!("REGISTER:{uri}"));
    let answer = md5_hex(&format!("{ha1}:{nonce}:00000001:webclient:auth:{ha2}"));
    let authorization = format!(
        "Authorization: Digest username=\"agent4\", realm=\"hotline\", nonce=\"{nonce}\", \
         uri=\"{uri}\", response=\"{answer}\", qop=auth, nc=00000001, cnonce=\"webclient\", algorithm=MD5\r\n"
    );
    let registered = exchange(register(2, &authorization));
    assert!(registered.starts_with("SIP/2.0 200"), "{registered}");
    assert!(registered.contains("expires=300"), "{registered}");
    let desk = Desk::login(&server, "agent4");
    desk.wait_status(10 * SECOND, |status| {
        status["contacts"] == 1 && status["presence"] == "available"
    });
}

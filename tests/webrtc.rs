//! Browser legs end to end, in Debian's headless Chromium (Playwright) with a fake microphone
//! playing a WAV, inside a network namespace each test makes for itself (Chromium ignores the
//! loopback interface for ICE):
//! - a customer on the "call us" page asks where their order is, says the order number and
//!   hears the answer; the call's transcript is in `/api/calls` and its recording verifies;
//! - an agent with no SIP phone turns on the desk's browser phone, a SIP caller (sipp) asks for
//!   billing, the call rings in the browser, the agent answers, hears the brief, accepts, and
//!   the caller hears the agent (Opus from the browser, G.711 to the caller);
//! - a WebRTC caller (str0m, no browser, on loopback) presses 0 and is bridged to an agent's
//!   SIP phone (baresip): each hears the other's tone.

mod common;

use common::audio::{assert_speech, match_prompt, speech_samples, tone, tone_share};
use common::browser_client::BrowserClient;
use common::desk::{Desk, QUEUES, agents_config, password};
use common::network::enter_private_network;
use common::playwright::Script;
use common::softphone::{Answer, Softphone};
use common::{SECOND, Server, ServerOptions, lines_by};
use std::path::{Path, PathBuf};
use std::time::Instant;
/// The level of the agents' tones (a quarter of full scale).
const AGENT_TONE_AMPLITUDE: f32 = 8000.0 / 32767.0;
/// The rate Chromium's fake microphone files are written at.
const MICROPHONE_RATE: u32 = 48_000;

/// A fake microphone: 8 kHz `pieces` placed at their second, up to `seconds`, written at 48 kHz
/// (linear interpolation).
fn microphone(path: &Path, seconds: usize, pieces: &[(f32, Vec<i16>)]) -> PathBuf {
    let mut narrow = vec![0i16; 8000 * seconds];
    for (at, samples) in pieces {
        let start = (at * 8000.0) as usize;
        narrow[start..start + samples.len()].copy_from_slice(samples);
    }
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: MICROPHONE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).expect("wav");
    let factor = (MICROPHONE_RATE / 8000) as usize;
    for index in 0..narrow.len() * factor {
        let position = index / factor;
        let fraction = (index % factor) as f32 / factor as f32;
        let next = narrow.get(position + 1).copied().unwrap_or(0);
        let value = f32::from(narrow[position]) * (1.0 - fraction) + f32::from(next) * fraction;
        writer.write_sample(value as i16).expect("sample");
    }
    writer.finalize().expect("wav");
    path.to_path_buf()
}

#[test]
fn a_browser_caller_asks_where_their_order_is_and_hears_the_answer() {
    let _turn = common::one_at_a_time();
    let address = enter_private_network();
    let server = Server::start(ServerOptions {
        extra_config: format!("\n[webrtc]\naddress = \"{address}\"\nnumber = \"1000\"\n"),
        ..ServerOptions::default()
    });
    // The recording notice (2.6 s) and the greeting (10 s) play first; the question comes as
    // the greeting ends, the order number as the question for it ends.
    let voice = microphone(
        &server.dir.join("caller.wav"),
        90,
        &[
            (13.5, speech_samples("where-is-my-order.wav")),
            (23.0, speech_samples("one-to-five.wav")),
        ],
    );
    let received = server.dir.join("received.wav");
    let mut browser = Script::start(
        "call.mjs",
        &[
            ("CALL_URL", format!("http://{}/call", server.http)),
            ("MICROPHONE", voice.display().to_string()),
            ("RECEIVED", received.display().to_string()),
            (
                "SCREENSHOT",
                server.dir.join("call.png").display().to_string(),
            ),
        ],
    );
    let reference = browser.expect("CONNECTED", 60 * SECOND, &server);
    let call = server.wait_call(60 * SECOND, |call| {
        call["id"] == reference.as_str()
            && lines_by(call, "hotline")
                .iter()
                .any(|line| line.to_lowercase().contains("shipped with ups"))
    });
    assert!(
        call["from"]
            .as_str()
            .is_some_and(|from| from.starts_with("web-")),
        "{call:#}"
    );
    assert_eq!(call["variables"]["intent"], "order_status", "{call:#}");
    assert_eq!(call["variables"]["order_number"], "12345", "{call:#}");
    assert!(
        lines_by(&call, "caller")
            .iter()
            .any(|line| line.to_lowercase().contains("order")),
        "{call:#}"
    );
    // Let the answer play out to the browser before it hangs up.
    std::thread::sleep(6 * SECOND);
    browser.tell("HANGUP");
    browser.expect("SAVED", 30 * SECOND, &server);
    browser.expect("DONE", 30 * SECOND, &server);
    browser.finish();

    // Hotline spoke the answer (its transcript lines, checked above); the browser heard the
    // recorded greeting, then speech, and the answer playing when it hung up.
    let (heard, heard_rate) = common::audio::load_wav_mono(&received);
    let (greeting, greeting_rate) =
        common::audio::load_wav_mono(&common::audio::prompt_wav("greeting"));
    let greeting_heard = match_prompt(&greeting, greeting_rate, &heard, heard_rate);
    assert!(
        greeting_heard.correlation >= 0.7,
        "the browser did not hear the greeting: {greeting_heard:?}"
    );
    let per_window = heard_rate as usize / 50;
    let after_greeting = (greeting_heard.lag_windows * per_window
        + (greeting_heard.prompt_seconds * heard_rate as f32) as usize)
        .min(heard.len());
    assert_speech(
        &heard[after_greeting..],
        heard_rate,
        6.0,
        "what the browser heard after the greeting",
    );
    let last_seconds = heard.len().saturating_sub(5 * heard_rate as usize);
    assert_speech(
        &heard[last_seconds..],
        heard_rate,
        1.5,
        "the answer playing as the browser hung up",
    );
    let ended = server.wait_call(20 * SECOND, |call| {
        call["id"] == reference.as_str() && call["outcome"] == "caller_hangup"
    });
    assert!(ended["recording"].is_string(), "{ended:#}");
    let wav = server.recording_wav(&reference);
    let (channels, rate) = common::audio::load_wav(&wav);
    assert_eq!(rate, 8000);
    let caller_side: f32 = channels[0].iter().map(|sample| sample.abs()).sum();
    assert!(
        caller_side > 0.0,
        "the caller's side of the recording is silent"
    );
}

#[test]
fn an_agent_in_the_browser_takes_a_warm_transfer_from_a_sip_caller() {
    let _turn = common::one_at_a_time();
    let address = enter_private_network();
    let server = Server::start(ServerOptions {
        routes: vec![common::Route {
            number: QUEUES.into(),
            flow: "queues".into(),
            mode: "dtmf".into(),
            ring_time: "0s".into(),
        }],
        flows_dir: common::repo_dir().join("tests/flows"),
        extra_config: agents_config(
            "ring_timeout = \"20s\"\naccept_timeout = \"40s\"\nwrap_up = \"5s\"",
        ) + &format!("\n[webrtc]\naddress = \"{address}\"\n"),
        rtp_ports: 80,
        ..ServerOptions::default()
    });
    let voice = microphone(
        &server.dir.join("agent.wav"),
        120,
        &[(0.0, tone(440.0, 120.0, AGENT_TONE_AMPLITUDE))],
    );
    let brief = server.dir.join("brief.wav");
    let mut browser = Script::start(
        "phone.mjs",
        &[
            ("DESK_URL", format!("http://{}/desk", server.http)),
            ("AGENT", "agent3".to_string()),
            ("PASSWORD", password("agent3")),
            ("MICROPHONE", voice.display().to_string()),
            ("BRIEF", brief.display().to_string()),
            (
                "SCREENSHOT",
                server.dir.join("phone.png").display().to_string(),
            ),
        ],
    );
    browser.expect("READY", 60 * SECOND, &server);

    let (peer, sipp) = common::sipp::dial(&server, QUEUES, "+15550100004", 120_000);
    common::sipp::press_after_prompt(&peer, "3");
    browser.expect("RINGING", 30 * SECOND, &server);
    browser.expect("ANSWERED", 30 * SECOND, &server);
    browser.expect("CONNECTED", 60 * SECOND, &server);
    let connected_at = Instant::now();
    std::thread::sleep(4 * SECOND);
    let from_agent = peer.audio_since(connected_at + SECOND);
    assert!(from_agent.len() > 8000 * 2, "{} samples", from_agent.len());
    assert!(
        tone_share(&from_agent, 440.0) > 0.5,
        "the caller does not hear the agent's browser: {}",
        tone_share(&from_agent, 440.0)
    );
    browser.tell("HANGUP");
    browser.expect("DONE", 30 * SECOND, &server);
    browser.finish();

    let call = server.wait_call(20 * SECOND, |call| {
        call["from"] == "+15550100004" && call["agent"] == "agent3"
    });
    assert_eq!(call["agent"], "agent3", "{call:#}");
    // The brief Hotline spoke (the desk showed it too, checked by phone.mjs), and the agent's
    // browser heard speech while it played.
    let spoken = call["handover"]["summary"]["brief"]
        .as_str()
        .unwrap_or_default();
    assert!(spoken.contains("billing question"), "{call:#}");
    let (brief_heard, brief_rate) = common::audio::load_wav_mono(&brief);
    assert_speech(
        &brief_heard,
        brief_rate,
        2.0,
        "the brief the agent's browser heard",
    );
    drop(sipp);
}

/// An SDP offer as a browser makes it: one Opus audio track.
fn browser_offer() -> String {
    let mut rtc = str0m::RtcConfig::new()
        .set_crypto_provider(std::sync::Arc::new(str0m::crypto::from_feature_flags()))
        .build(Instant::now());
    let candidate = str0m::Candidate::host("127.0.0.1:50000".parse().expect("address"), "udp")
        .expect("candidate");
    rtc.add_local_candidate(candidate);
    let mut changes = rtc.sdp_api();
    changes.add_media(
        str0m::media::MediaKind::Audio,
        str0m::media::Direction::SendRecv,
        None,
        None,
        None,
    );
    let (offer, _) = changes.apply().expect("an offer");
    offer.to_sdp_string()
}

type Socket = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>;

fn signalling(server: &Server) -> Socket {
    let url = format!("ws://{}/api/webrtc/call", server.http);
    let (socket, _) = tungstenite::connect(url.as_str()).expect("WebSocket connects");
    socket
}

fn exchange(socket: &mut Socket, message: &str) -> serde_json::Value {
    socket
        .send(tungstenite::Message::text(message))
        .expect("send");
    next_message(socket)
}

fn next_message(socket: &mut Socket) -> serde_json::Value {
    loop {
        match socket.read().expect("a reply") {
            tungstenite::Message::Text(text) => {
                return serde_json::from_str(text.as_str()).expect("JSON");
            }
            tungstenite::Message::Close(_) => return serde_json::json!({"type": "closed"}),
            _ => {}
        }
    }
}

#[test]
fn bad_signalling_gets_clear_answers_and_an_abandoned_call_ends() {
    let server = Server::start(ServerOptions {
        extra_config: "\n[webrtc]\ncalls_per_address = 1\n".into(),
        ..ServerOptions::default()
    });
    let mut socket = signalling(&server);
    let reply = exchange(&mut socket, "nonsense");
    assert_eq!(reply["type"], "error", "{reply}");
    assert!(
        reply["message"].as_str().unwrap().contains("unreadable"),
        "{reply}"
    );
    let reply = exchange(
        &mut socket,
        r#"{"type":"candidate","candidate":"candidate:1"}"#,
    );
    assert!(
        reply["message"].as_str().unwrap().contains("offer first"),
        "{reply}"
    );
    let reply = exchange(&mut socket, r#"{"type":"offer","sdp":"v=0\r\nnot sdp"}"#);
    assert_eq!(reply["type"], "ended", "{reply}");
    assert!(
        reply["reason"]
            .as_str()
            .unwrap()
            .contains("offer cannot be accepted"),
        "{reply}"
    );

    // A good offer is answered and admitted as a call; one address has one call at a time.
    let mut caller = signalling(&server);
    let offer = serde_json::json!({"type": "offer", "sdp": browser_offer()}).to_string();
    let answer = exchange(&mut caller, &offer);
    assert_eq!(answer["type"], "answer", "{answer}");
    assert!(
        answer["sdp"].as_str().unwrap().contains("opus/48000"),
        "{answer}"
    );
    let reference = next_message(&mut caller);
    assert_eq!(reference["type"], "call", "{reference}");
    let id = reference["reference"].as_str().unwrap().to_string();
    let mut second = signalling(&server);
    let refused = exchange(&mut second, &offer);
    assert_eq!(refused["type"], "ended", "{refused}");
    assert!(
        refused["reason"]
            .as_str()
            .unwrap()
            .contains("already has 1 calls"),
        "{refused}"
    );
    let reply = exchange(&mut caller, &offer);
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .contains("already has a call"),
        "{reply}"
    );

    // The browser goes away before connecting: the call ends and the address is free again.
    drop(caller);
    let ended = server.wait_call(20 * SECOND, |call| {
        call["id"] == id.as_str() && call["outcome"] == "failed"
    });
    assert_eq!(ended["from"], "web-127.0.0.1", "{ended:#}");
    let mut again = signalling(&server);
    let answer = exchange(&mut again, &offer);
    assert_eq!(answer["type"], "answer", "{answer}");

    let (status, _) = common::http_get(server.http, "/api/agent/phone").expect("GET");
    assert_eq!(status, 401);
    let (status, body) = common::http_get(server.http, "/healthz").expect("GET");
    assert_eq!((status, body.as_str()), (200, "ok"));
}

/// The strongest share of `frequency` in any one-second window of `samples` (8 kHz).
fn strongest_second(samples: &[f32], frequency: f32) -> f32 {
    samples
        .chunks(8000)
        .filter(|window| window.len() == 8000)
        .map(|window| tone_share(window, frequency))
        .fold(0.0, f32::max)
}

#[test]
fn a_webrtc_caller_is_bridged_to_an_agents_sip_phone() {
    let _turn = common::one_at_a_time();
    let server = Server::start(ServerOptions {
        extra_config: agents_config(
            "ring_timeout = \"10s\"\naccept_timeout = \"30s\"\nwrap_up = \"1s\"",
        ) + "\n[webrtc]\nnumber = \"1001\"\n",
        rtp_ports: 80,
        ..ServerOptions::default()
    });
    let agent_tone = server.dir.join("agent-tone.wav");
    common::audio::write_wav(&agent_tone, &tone(1000.0, 90.0, AGENT_TONE_AMPLITUDE));
    let mut agent4 = Softphone::agent(
        server.sip,
        "agent4",
        &password("agent4"),
        Answer::Automatically,
        Some(&agent_tone),
    );
    let desk = Desk::login(&server, "agent4");
    desk.wait_status(10 * SECOND, |status| {
        status["contacts"] == 1 && status["presence"] == "available"
    });
    let mut events = desk.events();

    let mut caller = BrowserClient::call(server.http, 600.0);
    assert!(caller.wait_connected(10 * SECOND), "{}", server.log_text());
    // The recording notice ends; 0 in the greeting asks for an agent.
    std::thread::sleep(4 * SECOND);
    caller.press("0");
    let offer = events.wait("offer", 40 * SECOND, |_| true);
    assert_eq!(
        offer["context"]["call"],
        caller.reference.as_str(),
        "{offer:#}"
    );
    events.wait("briefing", 20 * SECOND, |_| true);
    std::thread::sleep(3 * SECOND);
    agent4.command("sndcode", "1");
    events.wait("connected", 20 * SECOND, |_| true);
    let connected_at = Instant::now();
    std::thread::sleep(5 * SECOND);
    let heard: Vec<f32> = caller
        .heard_since(connected_at + SECOND)
        .iter()
        .map(|&sample| f32::from(sample) / 32768.0)
        .collect();
    assert!(heard.len() >= 8000 * 3, "{} samples", heard.len());
    let share = strongest_second(&heard, 1000.0);
    assert!(
        share > 0.5,
        "the WebRTC caller does not hear the SIP agent: {share}"
    );
    caller.hang_up();

    let call = server.wait_call(20 * SECOND, |call| {
        call["id"] == offer["context"]["call"] && call["outcome"] == "caller_hangup"
    });
    assert_eq!(call["agent"], "agent4", "{call:#}");
    agent4.wait_event("CALL_CLOSED", 10 * SECOND);
    let (heard_by_agent, rate) = common::audio::load_wav_mono(&agent4.heard_wav());
    assert_eq!(rate, 8000);
    let share = strongest_second(&heard_by_agent, 600.0);
    assert!(
        share > 0.5,
        "the SIP agent does not hear the WebRTC caller: {share}"
    );
}

//! Attended transfers and supervisors with real softphones: an agent consults a colleague while
//! the caller waits with music, then hands the caller over; a supervisor listens, whispers to the
//! agent, and barges in. Each phone sends its own tone, so what reached whom is measured.

mod common;

use common::audio::{self, tone, tone_level, write_wav};
use common::desk::{Desk, QUEUES, available, password, queue_server};
use common::rtp::RtpPeer;
use common::sipp::SippHandle;
use common::softphone::{Answer, Softphone};
use common::{SECOND, Server};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const CALLER_TONE: f32 = 400.0;
const CONSULTANT_TONE: f32 = 700.0;
const SUPERVISOR_TONE: f32 = 1000.0;

/// A server where agents wrap up for long enough that a finished agent stays in wrap-up.
fn server() -> Server {
    queue_server("ring_timeout = \"10s\"\nwrap_up = \"30s\"")
}

/// A microphone playing `frequency` for two minutes.
fn tone_wav(server: &Server, frequency: f32) -> PathBuf {
    let path = server.dir.join(format!("tone-{frequency}.wav"));
    write_wav(&path, &tone(frequency, 120.0, 0.3));
    path
}

fn phone(server: &Server, name: &str, microphone: Option<&PathBuf>) -> Softphone {
    phone_with(server, name, microphone, "")
}

fn phone_with(
    server: &Server,
    name: &str,
    microphone: Option<&PathBuf>,
    parameters: &str,
) -> Softphone {
    Softphone::agent_with(
        server.sip,
        name,
        &password(name),
        Answer::Automatically,
        microphone.map(PathBuf::as_path),
        parameters,
    )
}

/// A caller who asks for orders, is taken by agent1, and keeps sending their tone.
fn connected_caller(server: &Server, desk: &Desk) -> (RtpPeer, SippHandle, String) {
    let mut events = desk.events();
    let (peer, sipp) = common::sipp::dial(server, QUEUES, "+15550100003", 120_000);
    common::sipp::press_after_prompt(&peer, "1");
    let offer = events.wait("offer", 15 * SECOND, |_| true);
    let call = offer["context"]["call"].as_str().unwrap().to_string();
    events.wait("briefing", 10 * SECOND, |_| true);
    let (status, answer) = desk.request("POST", &format!("/api/agent/calls/{call}/accept"), None);
    assert_eq!(status, 200, "{answer}");
    events.wait("connected", 10 * SECOND, |_| true);
    peer.send_speech(&tone(CALLER_TONE, 100.0, 0.3));
    (peer, sipp, call)
}

/// The level of `frequency` in what the caller heard over the last `seconds`.
fn caller_hears(peer: &RtpPeer, frequency: f32, seconds: u64) -> f32 {
    let since = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    tone_level(&peer.audio_since(since), 8000, frequency)
}

fn heard(phone: &Softphone) -> Vec<f32> {
    audio::load_wav_mono(&phone.heard_wav()).0
}

#[test]
fn an_agent_consults_a_colleague_then_hands_the_caller_over() {
    let server = server();
    let consultant_tone = tone_wav(&server, CONSULTANT_TONE);
    let mut agent1 = phone(&server, "agent1", None);
    // agent3's phone speaks only A-law, the caller µ-law: Hotline transcodes between the legs.
    let agent3 = phone_with(
        &server,
        "agent3",
        Some(&consultant_tone),
        ";audio_codecs=PCMA",
    );
    let desk1 = available(&server, "agent1");
    let desk3 = available(&server, "agent3");
    let mut events3 = desk3.events();
    let (peer, sipp, call) = connected_caller(&server, &desk1);

    let (status, answer) = desk1.request(
        "POST",
        &format!("/api/agent/calls/{call}/consult"),
        Some(json!({"target": "agent:agent3"})),
    );
    assert_eq!(status, 200, "{answer}");
    let offer = events3.wait("offer", 10 * SECOND, |_| true);
    assert_eq!(offer["context"]["call"], call.as_str());
    events3.wait("connected", 10 * SECOND, |_| true);
    // While agent1 talks to agent3, the caller hears music and not agent3.
    let since = Instant::now();
    std::thread::sleep(3 * SECOND);
    let waiting = peer.audio_since(since);
    let music = audio::rms(&waiting);
    assert!(
        music > 0.01,
        "the caller heard no music while waiting: {music}"
    );
    assert!(
        tone_level(&waiting, 8000, CONSULTANT_TONE) < 0.02,
        "the caller heard the consultation"
    );

    let (status, answer) = desk1.request(
        "POST",
        &format!("/api/agent/calls/{call}/complete_consultation"),
        None,
    );
    assert_eq!(status, 200, "{answer}");
    agent1.wait_event("CALL_CLOSED", 10 * SECOND);
    let level = caller_hears(&peer, CONSULTANT_TONE, 3);
    assert!(level > 0.05, "the caller does not hear agent3: {level}");
    let answered: Vec<String> = server
        .log_text()
        .lines()
        .filter(|line| line.contains("answered") && line.contains("Consultant"))
        .map(str::to_string)
        .collect();
    assert!(
        answered.iter().any(|line| line.contains("PCMA")),
        "agent3's leg is not A-law: {answered:#?}"
    );
    server.wait_call(10 * SECOND, |record| {
        record["id"] == call.as_str() && record["agent"] == "agent3"
    });
    assert_eq!(desk1.me()["agent"]["presence"], "wrap_up");
    // agent1 heard agent3 during the consultation.
    let agent1_heard = heard(&agent1);
    assert!(
        tone_level(&agent1_heard, 8000, CONSULTANT_TONE) > 0.01,
        "agent1 never heard agent3"
    );
    drop((sipp, agent3));
}

#[test]
fn a_supervisor_listens_whispers_and_barges_in() {
    let server = server();
    let supervisor_tone = tone_wav(&server, SUPERVISOR_TONE);
    let mut agent1 = phone(&server, "agent1", None);
    let mut supervisor = phone(&server, "supervisor1", Some(&supervisor_tone));
    let desk1 = available(&server, "agent1");
    let boss = Desk::login(&server, "supervisor1");
    boss.wait_status(10 * SECOND, |status| status["contacts"] == 1);
    let (peer, sipp, call) = connected_caller(&server, &desk1);
    let monitor = |desk: &Desk, mode: &str| {
        desk.request(
            "POST",
            &format!("/api/agent/calls/{call}/monitor"),
            Some(json!({"mode": mode})),
        )
    };
    let (status, answer) = monitor(&desk1, "listen");
    assert_eq!(status, 403, "agents are not supervisors: {answer}");
    let (status, answer) = monitor(&boss, "eavesdrop");
    assert_eq!(status, 400, "{answer}");

    let (status, answer) = monitor(&boss, "listen");
    assert_eq!(status, 200, "{answer}");
    supervisor.wait_event("CALL_ESTABLISHED", 10 * SECOND);
    let level = caller_hears(&peer, SUPERVISOR_TONE, 3);
    assert!(
        level < 0.02,
        "the caller heard a listening supervisor: {level}"
    );
    let (status, _) = monitor(&boss, "whisper");
    assert_eq!(status, 200);
    let level = caller_hears(&peer, SUPERVISOR_TONE, 3);
    assert!(level < 0.02, "the caller heard a whisper: {level}");
    let (status, _) = monitor(&boss, "barge");
    assert_eq!(status, 200);
    let level = caller_hears(&peer, SUPERVISOR_TONE, 3);
    assert!(
        level > 0.05,
        "the caller does not hear the barging supervisor: {level}"
    );
    let (status, _) = monitor(&boss, "stop");
    assert_eq!(status, 200);
    supervisor.wait_event("CALL_CLOSED", 10 * SECOND);

    // The supervisor heard the caller; agent1 heard the supervisor's whisper (read once the
    // call is over and baresip has written all it heard).
    agent1.command("hangup", "");
    agent1.wait_event("CALL_CLOSED", 10 * SECOND);
    assert!(
        tone_level(&heard(&supervisor), 8000, CALLER_TONE) > 0.02,
        "the supervisor never heard the caller"
    );
    assert!(
        tone_level(&heard(&agent1), 8000, SUPERVISOR_TONE) > 0.01,
        "agent1 never heard the supervisor"
    );
    drop(sipp);
}

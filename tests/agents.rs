//! Warm transfer end to end with real softphones: baresip registers as the demo's agents with
//! digest auth and answers automatically; a caller on the speech line (sipp with an RTP peer)
//! asks for someone about their refund and is queued for `orders`; the orders agent's desk gets
//! the context over its WebSocket, the agent hears the brief, accepts with a key, and the two
//! talk through Hotline; after the agent hangs up the caller rates the call. The brief's words
//! are checked on the text Hotline spoke, and the agent's recording on being speech.

mod common;

use common::audio::{
    self, assert_speech, match_prompt, rms, speech_samples as samples, to_f32, write_wav,
};
use common::desk::{Desk, agents_config, password};
use common::softphone::{Answer, Softphone};
use common::{SECOND, Server, ServerOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A microphone for the agent: silent while the brief plays, then the fixture a few times.
fn agent_voice(directory: &Path, silent_seconds: usize, speech: &str) -> PathBuf {
    let path = directory.join("agent-voice.wav");
    let mut voice = vec![0i16; 8000 * silent_seconds];
    for _ in 0..6 {
        voice.extend(samples(speech));
        voice.extend([0i16; 8000]);
    }
    write_wav(&path, &voice);
    path
}

#[test]
fn a_caller_asking_for_someone_about_a_refund_is_handed_warm_to_the_orders_agent() {
    let server = Server::start(ServerOptions {
        extra_config: agents_config(
            "ring_timeout = \"10s\"\naccept_timeout = \"30s\"\nwrap_up = \"1s\"",
        ),
        rtp_ports: 80,
        ..ServerOptions::default()
    });
    let voice = agent_voice(&server.dir, 15, "human-made-amiable.wav");
    let mut agent1 = Softphone::agent(
        server.sip,
        "agent1",
        &password("agent1"),
        Answer::Automatically,
        Some(&voice),
    );
    let _agent4 = Softphone::agent(
        server.sip,
        "agent4",
        &password("agent4"),
        Answer::Automatically,
        None,
    );
    let desk = Desk::login(&server, "agent1");
    for agent in ["agent1", "agent4"] {
        Desk::login(&server, agent).wait_status(10 * SECOND, |status| {
            status["contacts"] == 1 && status["presence"] == "available"
        });
    }
    let mut events = desk.events();

    let (peer, sipp) = common::sipp::dial(&server, "1000", "+15550100002", 150_000);
    peer.wait_prompt_over("the greeting", 60 * SECOND);
    peer.send_speech(&samples("someone-about-my-refund.wav"));

    // The screen-pop: the context reaches agent1's desk before anyone is connected.
    let offer = events.wait("offer", 40 * SECOND, |_| true);
    let context = &offer["context"];
    assert_eq!(context["group"], "orders", "{offer:#}");
    assert_eq!(
        context["handover"]["summary"]["intent"], "refund_status",
        "{offer:#}"
    );
    let brief = context["handover"]["summary"]["brief"]
        .as_str()
        .unwrap_or_default();
    // +15550100002 is a customer of the demo data, so the brief names him.
    assert!(
        brief.starts_with("Caller Marcus Bell about refund status"),
        "{brief}"
    );
    assert_eq!(context["customer_name"], "Marcus Bell");
    let said = context["handover"]["summary"]["transcript"]
        .as_array()
        .expect("transcript")
        .iter()
        .any(|line| {
            line["party"] == "customer"
                && line["text"]
                    .as_str()
                    .is_some_and(|text| text.to_lowercase().contains("refund"))
        });
    assert!(said, "{offer:#}");
    assert_eq!(
        context["recording"],
        format!("/api/calls/{}/recording", context["call"].as_str().unwrap())
    );
    let call_id = context["call"].as_str().unwrap().to_string();

    events.wait("briefing", 20 * SECOND, |_| true);
    let briefing_at = Instant::now();
    assert!(
        !events.seen.iter().any(|event| event["type"] == "connected"),
        "connected before the agent accepted"
    );
    // The caller hears hold music while the agent hears the brief.
    std::thread::sleep(12 * SECOND);
    let music = peer.audio_since(briefing_at);
    assert!(rms(&music) > 0.01, "the caller heard silence while waiting");
    agent1.command("sndcode", "1");
    events.wait("connected", 10 * SECOND, |_| true);
    let connected_at = Instant::now();
    assert_eq!(
        desk.me()["agent"]["presence"],
        "on_call",
        "agent1 should be on the call"
    );

    // Caller and agent talk through Hotline.
    std::thread::sleep(SECOND);
    peer.send_speech(&samples("where-is-my-order.wav"));
    peer.wait_all_sent(10 * SECOND).expect("caller speech sent");
    std::thread::sleep(6 * SECOND);
    let heard_by_caller = peer.audio_since(connected_at);
    let agent_speech = to_f32(&samples("human-made-amiable.wav"));
    let caller_heard = match_prompt(&agent_speech, 8000, &heard_by_caller, 8000);
    assert!(
        caller_heard.correlation >= 0.7,
        "the caller did not hear the agent: {caller_heard:?}"
    );

    // The agent hangs up; the caller rates the call.
    agent1.command("hangup", "");
    events.wait("ended", 10 * SECOND, |_| true);
    peer.wait_prompt_over("the survey question", 30 * SECOND);
    peer.send_dtmf("4");
    let call = server.wait_call(30 * SECOND, |call| {
        call["id"] == call_id.as_str() && !call["ended_at"].is_null()
    });
    assert_eq!(call["agent"], "agent1", "{call:#}");
    assert_eq!(call["variables"]["survey_rating"], "4", "{call:#}");
    assert_eq!(call["handover"]["group"], "orders", "{call:#}");
    assert_eq!(call["outcome"], "flow_hangup", "{call:#}");

    // The agent heard the brief first, then the caller. The brief Hotline spoke is the one the
    // desk showed (asserted above) followed by how to accept; what the agent's phone recorded
    // before accepting is that much speech.
    let (heard, rate) = audio::load_wav_mono(&agent1.heard_wav());
    assert_eq!(rate, 8000);
    let accepted = (connected_at - briefing_at).as_secs_f32() - 0.5;
    let split = ((accepted * rate as f32) as usize).min(heard.len());
    assert_speech(
        &heard[..split],
        rate,
        4.0,
        "the brief the agent heard before accepting",
    );
    let caller_speech = to_f32(&samples("where-is-my-order.wav"));
    let agent_heard = match_prompt(&caller_speech, 8000, &heard[split..], rate);
    assert!(
        agent_heard.correlation >= 0.7,
        "the agent did not hear the caller: {agent_heard:?}"
    );
    drop(sipp);
}

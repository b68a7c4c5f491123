//! Warm transfer end to end with real softphones: baresip registers as the demo's agents with
//! digest auth and answers automatically; a caller on the speech line (sipp with an RTP peer)
//! asks for someone about their refund and is queued for `orders`; the orders agent's desk gets
//! the context over its WebSocket, the agent hears the brief, accepts with a key, and the two
//! talk through Hotline; after the agent hangs up the caller rates the call. Whisper checks what
//! the agent heard.

mod common;

use common::audio::{self, match_prompt, write_wav};
use common::desk::{Desk, agents_config, password};
use common::softphone::{Answer, Softphone};
use common::{Server, ServerOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SECOND: Duration = Duration::from_secs(1);

fn fixture(name: &str) -> PathBuf {
    common::repo_dir().join("audio-fixtures/speech").join(name)
}

fn samples(name: &str) -> Vec<i16> {
    let (samples, channels, rate) = hotline::audio::read_wav_i16(&fixture(name)).expect("fixture");
    assert_eq!((channels, rate), (1, 8000));
    samples
}

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

fn rms(samples: &[f32]) -> f32 {
    (samples.iter().map(|sample| sample * sample).sum::<f32>() / samples.len().max(1) as f32).sqrt()
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
    peer.wait_prompt_end(Instant::now(), Duration::from_millis(700), 60 * SECOND)
        .expect("the greeting never ended");
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
    let agent_speech: Vec<f32> = samples("human-made-amiable.wav")
        .iter()
        .map(|sample| *sample as f32 / 32768.0)
        .collect();
    let caller_heard = match_prompt(&agent_speech, 8000, &heard_by_caller, 8000);
    assert!(
        caller_heard.correlation >= 0.7,
        "the caller did not hear the agent: {caller_heard:?}"
    );

    // The agent hangs up; the caller rates the call.
    agent1.command("hangup", "");
    events.wait("ended", 10 * SECOND, |_| true);
    let asked = Instant::now();
    peer.wait_prompt_end(asked, Duration::from_millis(700), 30 * SECOND)
        .expect("the survey question never ended");
    peer.send_dtmf("4");
    let call = server.wait_call(30 * SECOND, |call| {
        call["id"] == call_id.as_str() && !call["ended_at"].is_null()
    });
    assert_eq!(call["agent"], "agent1", "{call:#}");
    assert_eq!(call["variables"]["survey_rating"], "4", "{call:#}");
    assert_eq!(call["handover"]["group"], "orders", "{call:#}");
    assert_eq!(call["outcome"], "flow_hangup", "{call:#}");

    // The agent heard the brief first, then the caller.
    let (heard, rate) = audio::load_wav_mono(&agent1.heard_wav());
    assert_eq!(rate, 8000);
    let accepted = (connected_at - briefing_at).as_secs_f32() - 0.5;
    let split = ((accepted * rate as f32) as usize).min(heard.len());
    let brief_wav = server.dir.join("agent-heard-brief.wav");
    let brief: Vec<i16> = heard[..split.min(8000 * 12)]
        .iter()
        .map(|sample| (sample * 32767.0).clamp(-32768.0, 32767.0) as i16)
        .collect();
    write_wav(&brief_wav, &brief);
    let brief_heard = common::audio::transcribe(&brief_wav);
    // Whisper tiny hears Piper's brief a little differently each time ("refund" has come out as
    // "reef" and "refimpress", "take the call" as "the caller"): two of its marks are enough.
    let marks = ["refund", "marcus", "take the call", "pass it on"];
    assert!(
        marks
            .iter()
            .filter(|mark| brief_heard.contains(*mark))
            .count()
            >= 2,
        "the agent's brief was heard as {brief_heard:?}"
    );
    let caller_speech: Vec<f32> = samples("where-is-my-order.wav")
        .iter()
        .map(|sample| *sample as f32 / 32768.0)
        .collect();
    let agent_heard = match_prompt(&caller_speech, 8000, &heard[split..], rate);
    assert!(
        agent_heard.correlation >= 0.7,
        "the agent did not hear the caller: {agent_heard:?}"
    );
    drop(sipp);
}

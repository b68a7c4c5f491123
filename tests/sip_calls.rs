//! End-to-end calls against a real `hotline serve`: sipp does the signaling, the test's RtpPeer
//! is the caller's media endpoint, and assertions go through RTP, /api/calls, /metrics and the
//! recording WAV.

mod common;

use common::audio::{self, match_prompt};
use common::rtp::{PROMPT_PAUSE, RtpPeer, stream_stats};
use common::sip::{SipClient, sdp};
use common::sipp::Sipp;
use common::{SECOND, Server, ServerOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn greeting() -> (Vec<f32>, u32, f32) {
    let path = audio::prompt_wav("greeting");
    let (samples, rate) = audio::load_wav_mono(&path);
    let secs = samples.len() as f32 / rate as f32;
    (samples, rate, secs)
}

/// The greeting, in the packets Hotline sent after the recording notice (everything the peer
/// received is from Hotline).
fn assert_greeting_heard(peer: &RtpPeer, log: &str) {
    let pkts = peer.packets();
    assert!(!pkts.is_empty(), "no RTP received; hotline log:\n{log}");
    let notice = Duration::from_secs_f32(audio::notice_seconds());
    let heard = peer.audio_since(pkts[0].at + notice);
    let (g, rate, _) = greeting();
    let m = match_prompt(&g, rate, &heard, 8000);
    assert!(
        m.correlation >= 0.8,
        "greeting not recognised in received RTP: {m:?}"
    );
    let tolerance = m.prompt_seconds * 0.1 + 0.2;
    assert!(
        (m.heard_seconds - m.prompt_seconds).abs() <= tolerance,
        "greeting duration differs: {m:?}"
    );
}

/// The greeting arrives as one well-formed RTP stream; how steadily it is paced is a benchmark
/// figure (`bench/test_timings.sh`), not an assertion.
#[test]
fn greeting_arrives_as_one_unbroken_rtp_stream() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let (_, _, greeting_secs) = greeting();
    let secs = audio::notice_seconds() + greeting_secs;
    let run = Sipp::new("call.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms((secs * 1000.0) as u64 + 2000)
        .run();
    run.assert_ok(&server.log_text());
    for code in ["100", "180", "200 "] {
        assert!(
            !run.received_lines(&format!("SIP/2.0 {code}")).is_empty(),
            "no {code} received\n{}",
            run.report()
        );
    }
    let pkts = peer.packets();
    let stats = stream_stats(&pkts);
    assert_eq!(stats.ssrcs.len(), 1, "{stats:?}");
    assert!(
        stats.first_marker,
        "marker bit not set on the first packet: {stats:?}"
    );
    common::bench_figure("greeting_rtp_median_gap_ms", stats.median_gap_ms);
    common::bench_figure("greeting_rtp_within_5ms_share", stats.within_5ms);
    common::bench_figure("greeting_rtp_worst_gap_ms", stats.worst_gap_ms);
    assert_eq!(stats.sequence_errors, 0, "{stats:?}");
    assert_eq!(stats.timestamp_errors, 0, "{stats:?}");
    assert!(
        pkts.iter()
            .all(|p| p.payload_type == 0 && p.payload.len() == 160),
        "expected PCMU 20 ms frames"
    );
    assert_greeting_heard(&peer, &server.log_text());
}

#[test]
fn rfc4733_dtmf_collects_order_number() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    // The scenario has no <pause/>; a longer -d only stretches sipp's overall timeout, which
    // this call (notice, greeting, order number, the order's status, menu) needs.
    let sipp = Sipp::new("wait_bye.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms(10_000)
        .spawn();
    assert!(
        peer.wait_packets(1, 10 * SECOND),
        "no RTP; log:\n{}",
        server.log_text()
    );
    let end = peer.wait_prompt_over("notice and greeting", 60 * SECOND);
    peer.send_dtmf("1");
    peer.wait_dtmf_sent(5 * SECOND);
    peer.wait_prompt_end(end + Duration::from_millis(300), PROMPT_PAUSE, 30 * SECOND)
        .expect("no order-number prompt");
    peer.send_dtmf("12345#");
    peer.wait_dtmf_sent(10 * SECOND);
    let call = server.wait_call(15 * SECOND, |c| c["variables"]["order_number"] == "12345");
    assert!(
        call["digits"].as_str().unwrap_or("").contains("112345#"),
        "digits: {call}"
    );
    assert_eq!(call["outcome"], "in_progress", "{call}");
    assert!(call["ended_at"].is_null(), "{call}");
    // The order system's answer, then the menu; * ends the call once they have played.
    let call = server.wait_call(15 * SECOND, |c| c["variables"]["order_status"] == "shipped");
    assert_eq!(call["variables"]["carrier"], "UPS", "{call}");
    peer.wait_prompt_over("the answer and menu prompts", 30 * SECOND);
    peer.send_dtmf("*");
    sipp.wait().assert_ok(&server.log_text());
    let call = server.wait_ended("flow_hangup", 10 * SECOND);
    assert_eq!(call["variables"]["order_number"], "12345", "{call}");
    assert!(
        call["digits"].as_str().unwrap_or("").ends_with("112345#*"),
        "digits: {call}"
    );
}

#[test]
fn zero_hands_the_call_over_with_its_conversation() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let sipp = Sipp::new("wait_bye.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms(10_000)
        .spawn();
    assert!(peer.wait_packets(1, 10 * SECOND), "no RTP");
    peer.wait_prompt_over("notice and greeting", 60 * SECOND);
    peer.send_dtmf("0");
    peer.wait_dtmf_sent(5 * SECOND);
    // Agents cannot sign in yet: the hand-over is kept with the call, and the caller hears that
    // nobody is free (or the opening hours).
    let call = server.wait_call(15 * SECOND, |c| c["handover"].is_object());
    let handover = &call["handover"];
    assert_eq!(handover["group"], "support", "{call}");
    assert_eq!(handover["priority"], "normal", "{call}");
    assert_eq!(
        handover["reason"], "the caller asked for an agent",
        "{call}"
    );
    let transcript = handover["summary"]["transcript"]
        .as_array()
        .expect("transcript");
    assert!(
        transcript.iter().any(|line| line["party"] == "hotline"
            && line["text"]
                .as_str()
                .is_some_and(|text| text.starts_with("Thanks for calling Acme Outfitters"))),
        "the greeting's caption is in the summary: {call}"
    );
    assert!(
        handover["summary"]["brief"]
            .as_str()
            .is_some_and(|brief| brief.contains("the caller asked for an agent")),
        "{call}"
    );
    peer.wait_prompt_over("the busy message and the menu", 30 * SECOND);
    peer.send_dtmf("*");
    sipp.wait().assert_ok(&server.log_text());
}

#[test]
fn hold_stops_rtp_and_resume_restarts_it() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let run = Sipp::new("hold.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms(3000)
        .run();
    run.assert_ok(&server.log_text());
    let pkts = peer.packets();
    // The longest silence is the hold: the scenario holds for 3 s, so no RTP for at least 2.5 s
    // (a lower bound that load cannot break).
    let (i, gap) = pkts
        .windows(2)
        .enumerate()
        .map(|(i, w)| (i, w[1].at - w[0].at))
        .max_by_key(|(_, gap)| *gap)
        .expect("RTP arrived");
    assert!(
        gap >= Duration::from_millis(2500),
        "no silence while on hold: the longest gap is {gap:?}; {} packets",
        pkts.len()
    );
    assert!(i >= 100, "too little RTP before hold: {i}");
    assert!(
        pkts.len() - i >= 100,
        "too little RTP after resume: {}",
        pkts.len() - i
    );
    assert_eq!(stream_stats(&pkts).ssrcs.len(), 1);
}

#[test]
fn cancel_before_answer_is_487_and_recorded_as_cancelled() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let run = Sipp::new("cancel.xml", server.sip)
        .service(common::RINGING_NUMBER)
        .rtp_port(peer.port)
        .run();
    run.assert_ok(&server.log_text());
    let call = server.wait_ended("cancelled", 10 * SECOND);
    assert!(
        call["recording"].is_null() || !Path::new(call["recording"].as_str().unwrap()).exists(),
        "{call}"
    );
}

#[test]
fn caller_bye_ends_call_and_recording_holds_the_greeting() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let (g, rate, greeting_secs) = greeting();
    let notice = audio::notice_seconds();
    let secs = notice + greeting_secs;
    let run = Sipp::new("call.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms((secs * 1000.0) as u64 + 1500)
        .run();
    run.assert_ok(&server.log_text());
    let call = server.wait_ended("caller_hangup", 10 * SECOND);
    assert_eq!(
        call["to"].as_str().map(|t| t.contains("1001")),
        Some(true),
        "{call}"
    );
    assert_eq!(call["mode"], "dtmf", "{call}");
    let path = PathBuf::from(
        call["recording"]
            .as_str()
            .unwrap_or_else(|| panic!("no recording: {call}")),
    );
    assert!(
        path.is_absolute() && path.starts_with(&server.data),
        "recording outside data dir: {call}"
    );
    let head = std::fs::read(&path).unwrap();
    assert!(
        head.starts_with(b"HLREC01\n") && !head.windows(4).any(|w| w == b"RIFF"),
        "the recording on disk is sealed, not a WAV"
    );
    let path = server.recording_wav(call["id"].as_str().unwrap());
    let spec = hound::WavReader::open(&path).unwrap().spec();
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (2, 8000, 16),
        "{spec:?}"
    );
    let (channels, _) = audio::load_wav(&path);
    let seconds = channels[1].len() as f32 / 8000.0;
    assert!(
        seconds >= secs && seconds <= secs + 5.0,
        "recording lasts {seconds} s, call ~{} s",
        secs + 1.5
    );
    let after_notice = &channels[1][(notice * 8000.0) as usize..];
    let m = match_prompt(&g, rate, after_notice, 8000);
    assert!(
        m.correlation >= 0.8,
        "right channel does not hold the greeting: {m:?}"
    );
    let left = audio::envelope(&channels[0], 8000);
    assert!(
        left.iter().all(|e| *e < 0.01),
        "left channel (caller sent silence) is not silent"
    );
}

#[test]
fn star_makes_hotline_hang_up() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let sipp = Sipp::new("wait_bye.xml", server.sip)
        .rtp_port(peer.port)
        .spawn();
    assert!(
        peer.wait_packets(1, 10 * SECOND),
        "no RTP; log:\n{}",
        server.log_text()
    );
    peer.wait_prompt_over("greeting", 60 * SECOND);
    peer.send_dtmf("*");
    let run = sipp.wait();
    run.assert_ok(&server.log_text());
    assert!(
        run.messages.contains("BYE sip:"),
        "no BYE from Hotline\n{}",
        run.report()
    );
    let call = server.wait_ended("flow_hangup", 10 * SECOND);
    assert!(
        call["digits"].as_str().unwrap_or("").contains('*'),
        "{call}"
    );
}

#[test]
fn tcp_call_works() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let run = Sipp::new("call.xml", server.sip)
        .tcp()
        .rtp_port(peer.port)
        .pause_ms(3000)
        .run();
    run.assert_ok(&server.log_text());
    assert!(
        peer.packet_count() >= 120,
        "only {} RTP packets",
        peer.packet_count()
    );
    server.wait_ended("caller_hangup", 10 * SECOND);
}

#[test]
fn sip_info_dtmf_collects_order_number() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let secs = audio::notice_seconds() + greeting().2;
    let run = Sipp::new("info_dtmf.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms((secs * 1000.0) as u64 + 1000)
        .run();
    run.assert_ok(&server.log_text());
    let call = server.wait_ended("caller_hangup", 10 * SECOND);
    assert!(
        call["digits"].as_str().unwrap_or("").contains("112345#"),
        "{call}"
    );
    assert_eq!(call["variables"]["order_number"], "12345", "{call}");
}

#[test]
fn stock_pcap_caller_with_pcma_and_dtmf() {
    let server = Server::start(ServerOptions::default());
    let run = Sipp::new("pcap_call.xml", server.sip).pause_ms(1000).run();
    run.assert_ok(&server.log_text());
    let answer = run.messages.split("SIP/2.0 200").nth(1).unwrap_or("");
    assert!(
        answer.contains("RTP/AVP 8"),
        "answer must pick PCMA\n{}",
        run.report()
    );
    let call = server.wait_ended("caller_hangup", 10 * SECOND);
    assert!(
        call["digits"].as_str().unwrap_or("").contains('1'),
        "{call}"
    );
}

#[test]
fn metrics_count_calls_rtp_and_dtmf() {
    let server = Server::start(ServerOptions::default());
    let peer = RtpPeer::start();
    let sipp = Sipp::new("call.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms(4000)
        .spawn();
    assert!(
        peer.wait_packets(50, 10 * SECOND),
        "no RTP; log:\n{}",
        server.log_text()
    );
    assert_eq!(server.metric("hotline_active_calls"), Some(1.0));
    peer.send_dtmf("2");
    sipp.wait().assert_ok(&server.log_text());
    server.wait_ended("caller_hangup", 10 * SECOND);
    let (_, body) = server.get("/metrics");
    let m = |s: &str| {
        common::metric_value(&body, s)
            .unwrap_or_else(|| panic!("{s} missing from /metrics:\n{body}"))
    };
    assert_eq!(m("hotline_active_calls"), 0.0);
    assert!(m("hotline_calls_total{outcome=\"caller_hangup\"}") >= 1.0);
    let sent = m("hotline_rtp_packets_total{direction=\"sent\"}");
    assert!(
        sent >= 150.0 && sent <= peer.packet_count() as f64 + 20.0,
        "sent {sent}, peer got {}",
        peer.packet_count()
    );
    let received = m("hotline_rtp_packets_total{direction=\"received\"}");
    assert!(
        received >= 100.0 && received <= peer.sent_count() as f64,
        "received {received}, peer sent {}",
        peer.sent_count()
    );
    assert_eq!(m("hotline_rtp_packets_lost_total"), 0.0);
    assert!(m("hotline_dtmf_events_total{transport=\"rfc4733\"}") >= 1.0);
    assert!(
        body.lines()
            .any(|l| l.starts_with("hotline_rtp_jitter_seconds")),
        "no jitter metric:\n{body}"
    );
}

#[test]
fn sigterm_drains_calls_and_rejects_new_ones() {
    let mut server = Server::start(ServerOptions {
        drain_timeout: "4s".into(),
        ..Default::default()
    });
    let peer = RtpPeer::start();
    let sipp = Sipp::new("wait_bye.xml", server.sip)
        .rtp_port(peer.port)
        .spawn();
    assert!(
        peer.wait_packets(100, 10 * SECOND),
        "no RTP; log:\n{}",
        server.log_text()
    );
    let data = server.data.clone();
    let config = server.config.clone();
    let signalled = Instant::now();
    server.sigterm();
    std::thread::sleep(Duration::from_millis(300));
    let client = SipClient::new(server.sip);
    let mut inv = client.invite("1001", &sdp(9, "0 101"));
    let fin = client.final_response(&mut inv, 5 * SECOND);
    assert_eq!(
        fin.as_ref().map(|f| f.0),
        Some(503),
        "new INVITE during shutdown: {fin:?}"
    );
    let run = sipp.wait();
    run.assert_ok(&server.log_text());
    let status = server.wait_exit(15 * SECOND);
    common::bench_figure("sigterm_to_exit_seconds", signalled.elapsed().as_secs_f64());
    assert!(
        status.success(),
        "exit status {status}; log:\n{}",
        server.log_text()
    );
    let manifests = common::find_files(&data.join("recordings"), ".manifest.json");
    assert_eq!(
        manifests.len(),
        1,
        "the drained call's recording is sealed: {manifests:?}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifests[0]).unwrap()).unwrap();
    let secs = manifest["duration_seconds"].as_f64().unwrap();
    assert!(secs >= 2.0, "recording too short after drain: {secs} s");
    assert_eq!(manifest["recovered"], false, "{manifest}");
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["recordings", "verify", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "verify after a drained shutdown: {}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

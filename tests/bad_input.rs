//! Hostile and broken input: malformed SIP over UDP and TCP, codec/number rejects, garbage RTP
//! and an INVITE flood. In every case a concurrent well-behaved call must still hear the whole
//! greeting in one unbroken RTP stream and hang up cleanly, and /healthz must still answer. How
//! steady that stream stays under the flood is a benchmark figure (`bench/test_timings.sh`).

mod common;

use common::audio::{self, match_prompt};
use common::rtp::{RtpPeer, stream_stats};
use common::sip::{self, SipClient, sdp};
use common::sipp::{Sipp, SippHandle};
use common::{SECOND, Server, ServerOptions};
use std::time::{Duration, Instant};

struct GoodCall {
    peer: RtpPeer,
    sipp: SippHandle,
}

/// Starts a normal call that lasts the recording notice and the greeting plus 2 s.
fn good_call(server: &Server) -> GoodCall {
    let peer = RtpPeer::start();
    let secs = audio::notice_seconds() + audio::wav_seconds(&audio::prompt_wav("greeting"));
    let sipp = Sipp::new("call.xml", server.sip)
        .rtp_port(peer.port)
        .pause_ms((secs * 1000.0) as u64 + 2000)
        .spawn();
    assert!(
        peer.wait_packets(10, 10 * SECOND),
        "good call got no RTP; log:\n{}",
        server.log_text()
    );
    GoodCall { peer, sipp }
}

impl GoodCall {
    /// Waits for the call to end, then checks what it heard; returns the largest gap between
    /// its RTP packets, in ms, for the benchmarks.
    fn finish(self, server: &Server) -> f64 {
        self.sipp.wait().assert_ok(&server.log_text());
        let pkts = self.peer.packets();
        let heard = self.peer.audio_since(pkts[0].at);
        let (g, rate) = audio::load_wav_mono(&audio::prompt_wav("greeting"));
        let m = match_prompt(&g, rate, &heard, 8000);
        assert!(m.correlation >= 0.8, "good call's greeting damaged: {m:?}");
        let stats = stream_stats(&pkts);
        assert_eq!(stats.ssrcs.len(), 1, "good call's RTP: {stats:?}");
        assert_eq!(stats.sequence_errors, 0, "good call's RTP: {stats:?}");
        assert_eq!(stats.timestamp_errors, 0, "good call's RTP: {stats:?}");
        assert_healthy(server);
        stats.worst_gap_ms
    }
}

fn assert_healthy(server: &Server) {
    assert_eq!(
        server.get("/healthz"),
        (200, "ok".to_string()),
        "log:\n{}",
        server.log_text()
    );
}

/// Responses to `msgs` must be 400 (or nothing at all).
fn assert_only_400(replies: &[String], what: &str) {
    for r in replies {
        let code = sip::status_code(r);
        assert!(
            code == Some(400) || code.is_none(),
            "{what}: unexpected reply {r}"
        );
    }
}

#[test]
fn malformed_sip_gets_400_or_is_dropped() {
    let server = Server::start(ServerOptions::default());
    let call = good_call(&server);
    let client = SipClient::new(server.sip);
    let (_, invite) = client.invite_message("1001", &sdp(9, "0"));
    let without = |name: &str| {
        invite
            .lines()
            .filter(|l| !l.starts_with(name))
            .collect::<Vec<_>>()
            .join("\r\n")
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "garbage",
            b"\x00\xff\x13garbage that is not SIP at all\r\n\r\n".to_vec(),
        ),
        ("empty lines", b"\r\n\r\n\r\n\r\n".to_vec()),
        (
            "truncated headers",
            invite.as_bytes()[..invite.len() / 3].to_vec(),
        ),
        ("no Call-ID", without("Call-ID").into_bytes()),
        ("no CSeq", without("CSeq").into_bytes()),
        (
            "bad request line",
            invite.replacen("INVITE sip:", "INVITE  ", 1).into_bytes(),
        ),
        (
            "content-length too big",
            invite
                .replacen("Content-Length: ", "Content-Length: 9", 1)
                .into_bytes(),
        ),
        (
            "bad SDP",
            invite
                .replace("m=audio 9 RTP/AVP 0", "m=audio notaport RTP/AVP x")
                .into_bytes(),
        ),
        (
            "binary",
            (0..1400u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
    ];
    for (what, bytes) in &cases {
        client.send_raw(bytes);
        let replies = client.collect(Duration::from_millis(400), |_| false);
        if *what == "bad SDP" {
            for r in &replies {
                let code = sip::status_code(r).unwrap_or(400);
                assert!(code == 100 || (400..500).contains(&code), "{what}: {r}");
            }
        } else {
            assert_only_400(&replies, what);
        }
        assert_healthy(&server);
    }
    // Over TCP: an oversized (> 64 KiB) message, then garbage; the server may answer 400 or close.
    let mut huge = invite.replacen(
        "Max-Forwards: 70\r\n",
        &format!("X-Padding: {}\r\nMax-Forwards: 70\r\n", "a".repeat(70_000)),
        1,
    );
    huge.push_str("\r\n");
    let reply = sip::tcp_exchange(server.sip, huge.as_bytes(), 3 * SECOND);
    assert!(
        reply.is_empty() || reply.starts_with("SIP/2.0 4") || reply.starts_with("SIP/2.0 5"),
        "oversized TCP: {reply}"
    );
    let reply = sip::tcp_exchange(server.sip, b"GARBAGE\r\n\r\n", 2 * SECOND);
    assert!(
        reply.is_empty() || reply.starts_with("SIP/2.0 400"),
        "TCP garbage: {reply}"
    );
    call.finish(&server);
}

#[test]
fn no_common_codec_is_488_with_reason() {
    let server = Server::start(ServerOptions::default());
    let call = good_call(&server);
    let run = Sipp::new("no_codec.xml", server.sip).rtp_port(9).run();
    run.assert_ok(&server.log_text());
    let resp = run.messages.split("SIP/2.0 488").nth(1).unwrap_or("");
    let first_line = resp.lines().next().unwrap_or("").trim();
    let has_warning = resp
        .split("\n\n")
        .next()
        .unwrap_or("")
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("warning:"));
    assert!(
        has_warning || !first_line.is_empty(),
        "488 without Warning or reason\n{}",
        run.report()
    );
    call.finish(&server);
}

#[test]
fn unknown_number_is_404() {
    let server = Server::start(ServerOptions::default());
    let call = good_call(&server);
    let run = Sipp::new("unknown_number.xml", server.sip)
        .service("9999")
        .rtp_port(9)
        .run();
    run.assert_ok(&server.log_text());
    let options = Sipp::new("options.xml", server.sip).run();
    options.assert_ok(&server.log_text());
    call.finish(&server);
}

#[test]
fn garbage_and_oversized_rtp_do_not_hurt_the_call() {
    let server = Server::start(ServerOptions::default());
    let call = good_call(&server);
    let remote = call.peer.remote().unwrap();
    let stranger = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut hostile: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x80],
        vec![0x80, 0x00, 0x00],
        b"not rtp at all".to_vec(),
        vec![0x8f; 12], // 15 CSRCs announced, none present
        vec![
            0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xbe, 0xde, 0xff, 0xff,
        ], // extension longer than packet
        vec![0xa0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0xff], // padding larger than packet
        {
            let mut p = vec![0x80, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 1];
            p.resize(60_000, 0x7f);
            p
        }, // oversized
        {
            let mut p = vec![0x80, 101, 0, 4, 0, 0, 0, 4, 0, 0, 0, 1];
            p.extend([200, 0x8a, 0xff, 0xff]);
            p
        }, // bad event code
        {
            let mut p = vec![0x80, 99, 0, 5, 0, 0, 0, 5, 0, 0, 0, 1];
            p.extend([0u8; 160]);
            p
        }, // unknown PT
    ];
    for i in 0..200u32 {
        hostile.push((0..(i * 37 % 1500)).map(|j| (j * 31 + i) as u8).collect());
    }
    for p in &hostile {
        call.peer.send_raw(p);
        let _ = stranger.send_to(p, remote);
    }
    let _ = stranger.send_to(
        &[0u8; 100],
        std::net::SocketAddr::new(remote.ip(), remote.port() + 1),
    ); // RTCP port
    call.finish(&server);
}

#[test]
fn invite_flood_gets_bounded_answers() {
    let server = Server::start(ServerOptions {
        rtp_ports: 80,
        ..Default::default()
    });
    let call = good_call(&server);
    let client = SipClient::new(server.sip);
    let started = Instant::now();
    let mut invites = Vec::new();
    for i in 0..200 {
        invites.push(client.invite("1001", &sdp(9, "0 101")));
        if i % 20 == 19 {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    common::bench_figure(
        "flood_invites_sent_seconds",
        started.elapsed().as_secs_f64(),
    );
    let msgs = client.collect(15 * SECOND, |m| {
        sip::finals_by_call(m).len() >= invites.len()
    });
    client.answer_requests(&msgs);
    let finals = sip::finals_by_call(&msgs);
    let mut answered = 0;
    for inv in &mut invites {
        match finals.get(&inv.call_id) {
            Some(200) => {
                let ok = msgs
                    .iter()
                    .find(|m| {
                        sip::status_code(m) == Some(200)
                            && sip::header(m, "Call-ID") == Some(&inv.call_id)
                    })
                    .unwrap();
                inv.to_header = sip::header(ok, "To").map(String::from);
                client.ack(inv, 200);
                client.bye(inv);
                answered += 1;
            }
            Some(code) => {
                assert!(
                    matches!(code, 486 | 480 | 503 | 500 | 403),
                    "flood INVITE answered {code}"
                );
                client.ack(inv, *code);
            }
            None => {}
        }
    }
    eprintln!(
        "flood: {} INVITEs, {} finals, {} answered",
        invites.len(),
        finals.len(),
        answered
    );
    assert!(!finals.is_empty(), "no final responses at all to the flood");
    // Let the BYEs land; every answered flood call must end.
    let byes = client.collect(5 * SECOND, |_| false);
    client.answer_requests(&byes);
    let worst_gap_ms = call.finish(&server);
    common::bench_figure("flood_good_call_worst_rtp_gap_ms", worst_gap_ms);
    let active = common::wait_for(10 * SECOND, || {
        (server.metric("hotline_active_calls") == Some(0.0)).then_some(())
    });
    assert!(
        active.is_some(),
        "calls still active after the flood: {:?}",
        server.metric("hotline_active_calls")
    );
}

//! A browser leg against str0m playing the browser, in memory on simulated time: ICE and DTLS
//! connect, a tone spoken into the browser reaches the call as G.711, and the call's tone
//! reaches the browser as Opus.

use super::leg::{LegFactory, LegOutput};
use crate::audio::test_signals::{share_at, sine_i16};
use crate::media::Codec;
use crate::media::opus_voice::{FRAME_SAMPLES, OpusVoice, RTP_TICKS_PER_FRAME};
use crate::media::rtp_packet::RtpPacket;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use str0m::format::Codec as WireCodec;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc, RtcConfig};

const BROWSER: &str = "10.77.0.2:50000";
const HOTLINE: &str = "10.77.0.1:40000";

/// The "browser": a str0m peer with one Opus audio track.
struct Browser {
    rtc: Rtc,
    mid: Mid,
    voice: OpusVoice,
    received: Vec<i16>,
}

fn address(text: &str) -> SocketAddr {
    text.parse().expect("address")
}

fn browser_offer(now: Instant) -> (Browser, String, str0m::change::SdpPendingOffer) {
    let mut rtc = RtcConfig::new()
        .set_crypto_provider(std::sync::Arc::new(str0m::crypto::from_feature_flags()))
        .clear_codecs()
        .enable_opus(true, false)
        .build(now);
    rtc.add_local_candidate(Candidate::host(address(BROWSER), "udp").expect("candidate"));
    let mut changes = rtc.sdp_api();
    let mid = changes.add_media(MediaKind::Audio, Direction::SendRecv, None, None, None);
    let (offer, pending) = changes.apply().expect("an offer");
    let browser = Browser {
        rtc,
        mid,
        voice: OpusVoice::new().expect("opus"),
        received: Vec::new(),
    };
    (browser, offer.to_sdp_string(), pending)
}

/// Datagrams the browser sent, and the Opus it received, decoded.
fn drain_browser(browser: &mut Browser) -> Vec<(SocketAddr, Vec<u8>)> {
    let mut sent = Vec::new();
    loop {
        match browser.rtc.poll_output().expect("browser output") {
            Output::Timeout(_) => return sent,
            Output::Transmit(transmit) => {
                sent.push((transmit.destination, transmit.contents.to_vec()))
            }
            Output::Event(Event::MediaData(data)) => {
                let samples = browser.voice.decode(&data.data);
                browser.received.extend(samples);
            }
            Output::Event(_) => {}
        }
    }
}

#[test]
fn a_browser_connects_and_audio_flows_both_ways() {
    let start = Instant::now();
    let (mut browser, offer, pending) = browser_offer(start);
    let factory = LegFactory::new().expect("factory");
    let (mut leg, answer) = factory
        .accept(&offer, address(HOTLINE), Codec::Pcmu, start)
        .expect("accept");
    assert!(answer.contains("opus/48000"), "{answer}");
    assert!(answer.contains("10.77.0.1 40000 typ host"), "{answer}");
    browser
        .rtc
        .sdp_api()
        .accept_answer(
            pending,
            str0m::change::SdpAnswer::from_sdp_string(&answer).expect("answer"),
        )
        .expect("answer accepted");

    let caller_tone = sine_i16(600.0, 8000, 2.0, 0.3);
    let hotline_tone = sine_i16(900.0, 8000, 2.0, 0.3);
    let mut to_call = Vec::new();
    let mut connected = false;
    let mut now = start;
    for tick in 0..200u64 {
        now = start + Duration::from_millis(10 * tick);
        browser
            .rtc
            .handle_input(Input::Timeout(now))
            .expect("browser time");
        leg.handle_timeout(now);
        if connected && tick >= 20 && tick % 2 == 0 {
            let frame = ((tick - 20) / 2) as usize;
            let samples = &caller_tone[frame * FRAME_SAMPLES..(frame + 1) * FRAME_SAMPLES];
            let packet = browser.voice.encode(samples).expect("encode");
            let time = MediaTime::new(
                frame as u64 * u64::from(RTP_TICKS_PER_FRAME),
                Frequency::FORTY_EIGHT_KHZ,
            );
            let writer = browser.rtc.writer(browser.mid).expect("writer");
            let pt = writer
                .payload_params()
                .find(|params| params.spec().codec == WireCodec::Opus)
                .expect("opus")
                .pt();
            writer.write(pt, now, time, packet).expect("write");
            let mut payload = Vec::new();
            Codec::Pcmu.encode(
                &hotline_tone[frame * FRAME_SAMPLES..(frame + 1) * FRAME_SAMPLES],
                &mut payload,
            );
            let datagram = RtpPacket {
                marker: false,
                payload_type: 0,
                sequence_number: frame as u16,
                timestamp: 1000 + frame as u32 * 160,
                ssrc: 7,
                payload: &payload,
            }
            .to_bytes();
            leg.handle_call_rtp(now, &datagram).expect("call rtp");
        }
        for _ in 0..4 {
            for (destination, contents) in drain_browser(&mut browser) {
                assert_eq!(destination, address(HOTLINE));
                leg.handle_network(now, address(BROWSER), address(HOTLINE), &contents)
                    .expect("leg input");
            }
            while let Some(output) = leg.poll_output() {
                match output {
                    LegOutput::Network {
                        destination,
                        contents,
                    } => {
                        assert_eq!(destination, address(BROWSER));
                        let receive = Receive {
                            proto: Protocol::Udp,
                            source: address(HOTLINE),
                            destination,
                            contents: contents.as_slice().try_into().expect("datagram"),
                        };
                        browser
                            .rtc
                            .handle_input(Input::Receive(now, receive))
                            .expect("browser input");
                    }
                    LegOutput::Call(datagram) => to_call.push(datagram),
                    LegOutput::Connected => {
                        connected = true;
                        assert!(tick < 20, "connected only at {tick}");
                    }
                    LegOutput::Closed(why) => panic!("closed: {why}"),
                }
            }
        }
    }
    assert!(connected);
    assert!(now > start);

    // The call got 20 ms G.711 packets, numbered from the browser's timeline.
    assert!(to_call.len() > 60, "{} packets to the call", to_call.len());
    let mut heard = Vec::new();
    let mut previous: Option<(u16, u32)> = None;
    for datagram in &to_call {
        let packet = RtpPacket::parse(datagram).expect("rtp");
        assert_eq!(packet.payload_type, 0);
        assert_eq!(packet.payload.len(), FRAME_SAMPLES);
        if let Some((sequence, timestamp)) = previous {
            assert_eq!(packet.sequence_number, sequence.wrapping_add(1));
            assert_eq!(packet.timestamp, timestamp + 160);
        }
        previous = Some((packet.sequence_number, packet.timestamp));
        Codec::Pcmu.decode(packet.payload, &mut heard);
    }
    let settled = &heard[1600..];
    assert!(
        share_at(settled, 600.0, 8000) > 0.7,
        "{}",
        share_at(settled, 600.0, 8000)
    );

    // The browser got the call's tone as Opus.
    assert!(browser.received.len() > 60 * FRAME_SAMPLES);
    let settled = &browser.received[1600..];
    assert!(
        share_at(settled, 900.0, 8000) > 0.7,
        "{}",
        share_at(settled, 900.0, 8000)
    );
}

#[test]
fn bad_offers_and_candidates_are_errors() {
    let factory = LegFactory::new().expect("factory");
    let now = Instant::now();
    assert!(
        factory
            .accept("v=0\r\nnonsense", address(HOTLINE), Codec::Pcmu, now)
            .is_err()
    );
    let (_, offer, _) = browser_offer(now);
    let (mut leg, _) = factory
        .accept(&offer, address(HOTLINE), Codec::Pcmu, now)
        .expect("accept");
    assert!(leg.add_remote_candidate("candidate:garbage").is_err());
    assert!(
        leg.add_remote_candidate("candidate:1 1 udp 2113937151 abc.local 5000 typ host")
            .is_err()
    );
    leg.add_remote_candidate("").expect("end of candidates");
    leg.add_remote_candidate("a=candidate:1 1 udp 2113937151 10.77.0.2 50000 typ host")
        .expect("candidate");
    assert!(leg.handle_call_rtp(now, &[1, 2, 3]).is_err());
    assert!(
        leg.handle_network(now, address(BROWSER), address(HOTLINE), &[])
            .is_err()
    );
    assert!(!leg.is_closed());
}

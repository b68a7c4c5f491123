//! Outbound-side tests of [`MediaSession`] on simulated time, plus shared helpers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use ::rtcp::sender_report::SenderReport;
use ::rtcp::source_description::SourceDescription;
use bytes::Bytes;

use super::*;
use crate::media::rtp_packet::RtpPacket;

pub(super) const SSRC: u32 = 0x5EED_0001;
pub(super) const TELEPHONE_EVENT: u8 = 101;

pub(super) fn signalled_rtp() -> SocketAddr {
    SocketAddr::from(([198, 51, 100, 7], 40000))
}

pub(super) fn config() -> MediaSessionConfig {
    let mut config = MediaSessionConfig::new(
        Codec::Pcmu,
        signalled_rtp(),
        SSRC,
        "hotline@test",
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    );
    config.telephone_event_payload_type = Some(TELEPHONE_EVENT);
    config
}

pub(super) fn milliseconds(value: u64) -> Duration {
    Duration::from_millis(value)
}

/// Header fields of a sent RTP packet, plus its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sent {
    pub destination: SocketAddr,
    pub marker: bool,
    pub payload_type: u8,
    pub sequence_number: u16,
    pub timestamp: u32,
    pub ssrc: u32,
    pub payload: Vec<u8>,
}

/// Drains all RTP transmits; RTCP ones are returned separately.
pub(super) fn drain(session: &mut MediaSession) -> (Vec<Sent>, Vec<Transmit>) {
    let mut rtp = Vec::new();
    let mut rtcp = Vec::new();
    while let Some(transmit) = session.poll_transmit() {
        if transmit.kind == TransmitKind::Rtcp {
            rtcp.push(transmit);
            continue;
        }
        let packet = RtpPacket::parse(&transmit.payload).expect("we send valid RTP");
        rtp.push(Sent {
            destination: transmit.destination,
            marker: packet.marker,
            payload_type: packet.payload_type,
            sequence_number: packet.sequence_number,
            timestamp: packet.timestamp,
            ssrc: packet.ssrc,
            payload: packet.payload.to_vec(),
        });
    }
    (rtp, rtcp)
}

/// Runs ticks `from..to` on time, draining everything, and returns the RTP sent.
pub(super) fn run(session: &mut MediaSession, start: Instant, from: u32, to: u32) -> Vec<Sent> {
    let mut sent = Vec::new();
    for index in from..to {
        session.handle_timeout(start + milliseconds(20) * index);
        sent.extend(drain(session).0);
    }
    sent
}

fn events(session: &mut MediaSession) -> Vec<MediaEvent> {
    std::iter::from_fn(|| session.poll_event()).collect()
}

#[test]
fn one_packet_per_tick_with_consecutive_numbers_and_timestamps() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    assert_eq!(session.poll_timeout(), start);
    let mut sent = Vec::new();
    for index in 0..100u32 {
        let now = start + milliseconds(20) * index;
        session.handle_timeout(now);
        let (rtp, _) = drain(&mut session);
        assert_eq!(rtp.len(), 1, "tick {index}");
        assert_eq!(session.poll_timeout(), now + milliseconds(20));
        sent.extend(rtp);
    }
    for pair in sent.windows(2) {
        assert_eq!(
            pair[1].sequence_number,
            pair[0].sequence_number.wrapping_add(1)
        );
        assert_eq!(pair[1].timestamp, pair[0].timestamp.wrapping_add(160));
    }
    assert!(sent.iter().all(|packet| packet.ssrc == SSRC
        && packet.payload_type == 0
        && packet.destination == signalled_rtp()
        && packet.payload == [0xFF; 160]));
    let stats = session.stats();
    assert_eq!((stats.packets_sent, stats.octets_sent), (100, 16_000));
}

#[test]
fn sequence_numbers_wrap_around() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let mut previous: Option<u16> = None;
    let mut wrapped = false;
    for index in 0..66_000u32 {
        session.handle_timeout(start + milliseconds(20) * index);
        while session.poll_frame().is_some() {}
        let (rtp, _) = drain(&mut session);
        for packet in rtp {
            if let Some(previous) = previous {
                assert_eq!(packet.sequence_number, previous.wrapping_add(1));
                wrapped |= packet.sequence_number == 0;
            }
            previous = Some(packet.sequence_number);
        }
    }
    assert!(wrapped);
}

#[test]
fn late_wakeups_catch_up_and_skipped_ticks_advance_the_timestamp() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    session.handle_timeout(start + milliseconds(85));
    let (burst, _) = drain(&mut session);
    assert_eq!(burst.len(), 5);
    let first_timestamp = burst[0].timestamp;
    for (index, packet) in burst.iter().enumerate() {
        assert_eq!(
            packet.timestamp,
            first_timestamp.wrapping_add(160 * index as u32)
        );
    }
    // A one-second stall: only five ticks are sent, but the timestamp reflects real time.
    session.handle_timeout(start + milliseconds(1085));
    let (after_stall, _) = drain(&mut session);
    assert_eq!(after_stall.len(), 5);
    assert!(after_stall[0].marker && !after_stall[1].marker);
    assert_eq!(
        after_stall[4].timestamp,
        first_timestamp.wrapping_add(160 * 54)
    );
    assert_eq!(
        after_stall[0].sequence_number,
        burst[4].sequence_number.wrapping_add(1)
    );
    // Still exactly one frame pair per tick, skipped ones included.
    assert_eq!(std::iter::from_fn(|| session.poll_frame()).count(), 55);
}

#[test]
fn marker_marks_stream_start_talkspurts_and_resume_from_hold() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let sent = run(&mut session, start, 0, 3);
    assert_eq!(
        sent.iter().map(|packet| packet.marker).collect::<Vec<_>>(),
        [true, false, false]
    );
    session.play(vec![1000i16; 320].into());
    let sent = run(&mut session, start, 3, 7);
    assert_eq!(
        sent.iter().map(|packet| packet.marker).collect::<Vec<_>>(),
        [true, false, false, false]
    );
    session.set_direction(Direction::ReceiveOnly);
    assert!(run(&mut session, start, 7, 10).is_empty());
    session.set_direction(Direction::SendReceive);
    let sent = run(&mut session, start, 10, 12);
    assert_eq!(
        sent.iter().map(|packet| packet.marker).collect::<Vec<_>>(),
        [true, false]
    );
}

#[test]
fn playback_is_sent_in_order_and_finishes_once() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let first: Arc<[i16]> = vec![4000i16; 200].into();
    let second: Arc<[i16]> = vec![-4000i16; 200].into();
    session.play(first);
    session.play(second);
    assert!(session.is_playing());
    let sent = run(&mut session, start, 0, 2);
    assert!(session.is_playing());
    assert!(events(&mut session).is_empty());
    let sent_tail = run(&mut session, start, 2, 4);
    assert!(!session.is_playing());
    assert_eq!(events(&mut session), [MediaEvent::PlaybackFinished]);

    let mut decoded = Vec::new();
    for packet in sent.iter().chain(&sent_tail) {
        Codec::Pcmu.decode(&packet.payload, &mut decoded);
    }
    assert!(
        decoded[..200]
            .iter()
            .all(|&sample| (sample - 4000).abs() < 200)
    );
    assert!(
        decoded[200..400]
            .iter()
            .all(|&sample| (sample + 4000).abs() < 200)
    );
    assert!(decoded[400..].iter().all(|&sample| sample == 0));

    let frames: Vec<FramePair> = std::iter::from_fn(|| session.poll_frame()).collect();
    assert_eq!(frames.len(), 4);
    assert_eq!(frames[0].sent, [4000; 160]);
    assert_eq!(frames[3].sent, [0; 160]);
    run(&mut session, start, 4, 10);
    assert!(events(&mut session).is_empty());
}

#[test]
fn relayed_frames_are_mixed_into_what_is_sent_and_never_pile_up() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    session.play(vec![1000i16; 160].into());
    session.relay(0, &[2000; 160]);
    session.relay(1, &[-500; 160]);
    session.relay(RELAY_SOURCES, &[9000; 160]);
    run(&mut session, start, 0, 1);
    let frames: Vec<FramePair> = std::iter::from_fn(|| session.poll_frame()).collect();
    assert_eq!(
        frames[0].sent, [2500; 160],
        "playback and both sources, mixed"
    );
    // Only the newest few frames wait; the rest would only add delay.
    for value in 1..=10 {
        session.relay(0, &[value; 160]);
    }
    run(&mut session, start, 1, 7);
    let sent: Vec<i16> = std::iter::from_fn(|| session.poll_frame())
        .map(|frame| frame.sent[0])
        .collect();
    let expected: Vec<i16> = (11 - MAXIMUM_RELAYED_FRAMES as i16..=10)
        .chain([0, 0])
        .collect();
    assert_eq!(sent, expected);
    // While not sending, live audio is dropped rather than delayed.
    session.relay(0, &[500; 160]);
    session.set_direction(Direction::ReceiveOnly);
    run(&mut session, start, 7, 8);
    session.set_direction(Direction::SendReceive);
    run(&mut session, start, 8, 9);
    let sent: Vec<i16> = std::iter::from_fn(|| session.poll_frame())
        .map(|frame| frame.sent[0])
        .collect();
    assert_eq!(sent, vec![0, 0]);
}

#[test]
fn stop_playback_silences_immediately_without_finished_event() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    session.play(vec![4000i16; 8000].into());
    run(&mut session, start, 0, 2);
    session.stop_playback();
    assert!(!session.is_playing());
    let sent = run(&mut session, start, 2, 5);
    assert!(sent.iter().all(|packet| packet.payload == [0xFF; 160]));
    assert!(events(&mut session).is_empty());
}

#[test]
fn dtmf_is_sent_as_telephone_events_then_audio_resumes() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let before = run(&mut session, start, 0, 2);
    session
        .send_dtmf('7', milliseconds(60))
        .expect("telephone-event negotiated");
    assert_eq!(
        session.send_dtmf('x', milliseconds(60)),
        Err(MediaError::InvalidDtmfDigit { digit: 'x' })
    );
    let sent = run(&mut session, start, 2, 10);
    let events: Vec<&Sent> = sent
        .iter()
        .filter(|packet| packet.payload_type == TELEPHONE_EVENT)
        .collect();
    // 60 ms = 3 packets, the last of which (the end) is sent three times.
    assert_eq!(events.len(), 5);
    assert!(
        events
            .iter()
            .all(|packet| packet.timestamp == events[0].timestamp)
    );
    assert_eq!(events[0].timestamp, before[1].timestamp.wrapping_add(160));
    assert!(events[0].marker && events[1..].iter().all(|packet| !packet.marker));
    assert_eq!(events[0].payload, [7, 10, 0, 160]);
    assert_eq!(events[4].payload, [7, 0x80 | 10, 1, 224]);
    let audio_after = &sent[5];
    assert_eq!(audio_after.payload_type, 0);
    assert_eq!(
        audio_after.timestamp,
        before[1].timestamp.wrapping_add(160 * 6)
    );
    for pair in sent.windows(2) {
        assert_eq!(
            pair[1].sequence_number,
            pair[0].sequence_number.wrapping_add(1)
        );
    }
}

#[test]
fn dtmf_needs_a_negotiated_payload_type() {
    let start = Instant::now();
    let mut config = config();
    config.telephone_event_payload_type = None;
    let mut session = MediaSession::new(config, start);
    assert_eq!(
        session.send_dtmf('1', milliseconds(100)),
        Err(MediaError::TelephoneEventNotNegotiated)
    );
}

#[test]
fn hold_sends_nothing_but_frames_and_rtcp_continue() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    session.set_direction(Direction::Inactive);
    let mut rtcp = Vec::new();
    let mut frames = 0;
    for index in 0..300u32 {
        session.handle_timeout(start + milliseconds(20) * index);
        let (rtp, reports) = drain(&mut session);
        assert!(rtp.is_empty());
        rtcp.extend(reports);
        frames += std::iter::from_fn(|| session.poll_frame()).count();
    }
    assert_eq!(frames, 300);
    assert_eq!(rtcp.len(), 1);
    let packets = ::rtcp::packet::unmarshal(&mut Bytes::from(rtcp[0].payload.clone()))
        .expect("parsable RTCP");
    assert!(packets[0].as_any().downcast_ref::<SenderReport>().is_none());
}

#[test]
fn sender_reports_are_sent_every_interval_and_parse() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let mut reports = Vec::new();
    let mut now = start;
    while now <= start + Duration::from_secs(11) {
        session.handle_timeout(now);
        reports.extend(drain(&mut session).1);
        now = session.poll_timeout();
    }
    assert_eq!(reports.len(), 2);
    for (number, report) in reports.iter().enumerate() {
        assert_eq!(
            report.destination,
            SocketAddr::from(([198, 51, 100, 7], 40001))
        );
        let packets = ::rtcp::packet::unmarshal(&mut Bytes::from(report.payload.clone()))
            .expect("parsable RTCP");
        let sender = packets[0]
            .as_any()
            .downcast_ref::<SenderReport>()
            .expect("SR while sending");
        assert_eq!(sender.ssrc, SSRC);
        assert_eq!(sender.packet_count, 250 * (number as u32 + 1) + 1);
        let description = packets[1]
            .as_any()
            .downcast_ref::<SourceDescription>()
            .expect("SDES");
        assert_eq!(description.chunks[0].items[0].text, "hotline@test");
    }
}

#[test]
fn codec_and_remote_updates_apply_to_following_packets() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    run(&mut session, start, 0, 1);
    let moved = SocketAddr::from(([203, 0, 113, 9], 50000));
    let moved_rtcp = SocketAddr::from(([203, 0, 113, 9], 50001));
    session.update_remote(moved, moved_rtcp);
    session.update_codec(Codec::Pcma, 8, None);
    let sent = run(&mut session, start, 1, 2);
    assert_eq!(sent[0].destination, moved);
    assert_eq!(sent[0].payload_type, 8);
    assert_eq!(sent[0].payload, [0xD5; 160]);
    assert_eq!(session.remote_rtcp(), moved_rtcp);
    assert_eq!(
        session.send_dtmf('1', milliseconds(100)),
        Err(MediaError::TelephoneEventNotNegotiated)
    );
}

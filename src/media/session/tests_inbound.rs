//! Inbound-side tests of [`MediaSession`]: reception, DTMF, latching and hostile input.

use std::net::SocketAddr;
use std::time::Instant;

use super::tests::{SSRC, TELEPHONE_EVENT, config, drain, milliseconds, run, signalled_rtp};
use super::*;
use crate::media::rtcp::RtcpState;
use crate::media::rtp_packet::RtpPacket;

const PEER_SSRC: u32 = 0xFEED_0002;

fn natted() -> SocketAddr {
    SocketAddr::from(([192, 0, 2, 33], 61000))
}

fn rtp(payload_type: u8, sequence_number: u16, timestamp: u32, payload: &[u8]) -> Vec<u8> {
    RtpPacket {
        marker: false,
        payload_type,
        sequence_number,
        timestamp,
        ssrc: PEER_SSRC,
        payload,
    }
    .to_bytes()
}

fn audio(sequence_number: u16) -> Vec<u8> {
    let mut payload = Vec::new();
    Codec::Pcmu.encode(&[1000; 160], &mut payload);
    rtp(
        0,
        sequence_number,
        u32::from(sequence_number) * 160,
        &payload,
    )
}

fn events(session: &mut MediaSession) -> Vec<MediaEvent> {
    std::iter::from_fn(|| session.poll_event()).collect()
}

#[test]
fn received_audio_reaches_the_frame_pairs() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let mut received = Vec::new();
    for index in 0..20u16 {
        let now = start + milliseconds(20) * u32::from(index);
        session
            .handle_rtp(now, signalled_rtp(), &audio(index))
            .expect("valid audio");
        session.handle_timeout(now);
        received.extend(std::iter::from_fn(|| session.poll_frame()).map(|pair| pair.received));
    }
    assert_eq!(received.len(), 20);
    assert_eq!(received[0], [0; 160]);
    let decoded_level = received[19][0];
    assert!((decoded_level - 1000).abs() < 64, "{decoded_level}");
    let stats = session.stats();
    assert_eq!(stats.packets_received, 20);
    assert_eq!(stats.packets_lost, 0);
    assert_eq!(
        session.last_received_at(),
        Some(start + milliseconds(20) * 19)
    );
}

#[test]
fn telephone_events_are_reported_once_per_press() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let packets = [
        (1, 8000, [9, 10, 0, 160]),
        (2, 8000, [9, 10, 1, 64]),
        (3, 8000, [9, 0x8A, 1, 224]),
        (4, 8000, [9, 0x8A, 1, 224]),
        (5, 8000, [9, 0x8A, 1, 224]),
        (6, 9600, [9, 10, 0, 160]),
        (7, 11200, [11, 0x8A, 0, 160]),
    ];
    for (sequence_number, timestamp, payload) in packets {
        session
            .handle_rtp(
                start,
                signalled_rtp(),
                &rtp(TELEPHONE_EVENT, sequence_number, timestamp, &payload),
            )
            .expect("valid event");
    }
    assert_eq!(
        events(&mut session),
        [
            MediaEvent::Dtmf { digit: '9' },
            MediaEvent::Dtmf { digit: '9' },
            MediaEvent::Dtmf { digit: '#' },
        ]
    );
    assert_eq!(session.stats().dtmf_events_received, 3);
    let truncated = rtp(TELEPHONE_EVENT, 8, 12800, &[1, 2]);
    assert_eq!(
        session.handle_rtp(start, signalled_rtp(), &truncated),
        Err(MediaError::TruncatedTelephoneEvent { length: 2 })
    );
}

#[test]
fn first_packet_latches_and_one_stray_packet_cannot_hijack() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    session
        .handle_rtp(start, natted(), &audio(1))
        .expect("valid");
    assert_eq!(
        events(&mut session),
        [MediaEvent::RemoteLatched { address: natted() }]
    );
    let sent = run(&mut session, start, 0, 1);
    assert_eq!(sent[0].destination, natted());

    let attacker = SocketAddr::from(([203, 0, 113, 66], 1234));
    session
        .handle_rtp(start, attacker, &audio(2))
        .expect("valid");
    session
        .handle_rtp(start, natted(), &audio(3))
        .expect("valid");
    session
        .handle_rtp(start, attacker, &audio(4))
        .expect("valid");
    assert!(events(&mut session).is_empty());
    assert_eq!(session.remote_rtp(), natted());
    assert_eq!(session.stats().packets_discarded, 2);

    // A genuine move (NAT rebinding) is followed after three packets in a row.
    let rebound = SocketAddr::from(([192, 0, 2, 33], 61002));
    for sequence_number in 5..8 {
        session
            .handle_rtp(start, rebound, &audio(sequence_number))
            .expect("valid");
    }
    assert_eq!(
        events(&mut session),
        [MediaEvent::RemoteLatched { address: rebound }]
    );
    let sent = run(&mut session, start, 1, 2);
    assert_eq!(sent[0].destination, rebound);
}

#[test]
fn malformed_datagrams_are_rejected_and_counted_without_side_effects() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let mut wrong_version = audio(1);
    wrong_version[0] = 0x40;
    let mut bad_padding = audio(1);
    bad_padding[0] |= 0x20;
    let last = bad_padding.len() - 1;
    bad_padding[last] = 255;
    let cases: Vec<(Vec<u8>, MediaError)> = vec![
        (
            vec![0x80; 5],
            MediaError::DatagramTooShort {
                length: 5,
                minimum: 12,
            },
        ),
        (
            vec![0x80; 1501],
            MediaError::DatagramTooLong {
                length: 1501,
                maximum: 1500,
            },
        ),
        (wrong_version, MediaError::UnsupportedVersion { version: 1 }),
        (
            rtp(18, 1, 0, &[0; 20]),
            MediaError::UnexpectedPayloadType { payload_type: 18 },
        ),
        (
            bad_padding,
            MediaError::InconsistentLength {
                field: "padding",
                required: 255,
                available: 160,
            },
        ),
    ];
    for (datagram, expected) in &cases {
        assert_eq!(
            session.handle_rtp(start, natted(), datagram),
            Err(expected.clone())
        );
    }
    // Comfort noise is silently ignored.
    assert_eq!(
        session.handle_rtp(start, natted(), &rtp(13, 1, 0, &[40])),
        Ok(())
    );
    let stats = session.stats();
    assert_eq!(stats.invalid_packets, cases.len() as u64);
    assert_eq!(stats.packets_received, 0);
    assert_eq!(session.last_received_at(), None);
    assert_eq!(session.remote_rtp(), signalled_rtp());
    assert!(events(&mut session).is_empty());
}

#[test]
fn random_datagrams_never_panic() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next_byte = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as u8
    };
    for round in 0..20_000u32 {
        let length = match round % 4 {
            0 => usize::from(next_byte()) % 16,
            1 => usize::from(next_byte()) * 6,
            _ => 12 + usize::from(next_byte()) % 64,
        };
        let mut datagram: Vec<u8> = (0..length).map(|_| next_byte()).collect();
        if round % 2 == 0
            && let Some(first) = datagram.first_mut()
        {
            // Valid version, random flags: exercises CSRC/extension/padding checks.
            *first = (*first & 0x3F) | 0x80;
        }
        if round % 3 == 0
            && let Some(second) = datagram.get_mut(1)
        {
            *second = if round % 2 == 0 { 0 } else { TELEPHONE_EVENT };
        }
        let now = start + milliseconds(u64::from(round));
        let _ = session.handle_rtp(now, natted(), &datagram);
        let _ = session.handle_rtcp(now, natted(), &datagram);
        if round % 20 == 0 {
            session.handle_timeout(now);
            drain(&mut session);
            while session.poll_frame().is_some() {}
        }
    }
    assert!(session.stats().invalid_packets > 0);
}

#[test]
fn incoming_rtcp_is_parsed_and_latched() {
    let start = Instant::now();
    let mut session = MediaSession::new(config(), start);
    run(&mut session, start, 0, 10);
    let mut peer = RtcpState::new(
        PEER_SSRC,
        "peer",
        crate::media::rtcp::NtpClock::new(start, std::time::SystemTime::UNIX_EPOCH),
    );
    peer.reception.record(start, SSRC, 1, 0);
    peer.reception.record(start, SSRC, 4, 480);
    let report = peer.build_report(start, 0, false).expect("builds");
    let rtcp_source = SocketAddr::from(([192, 0, 2, 33], 61001));
    assert_eq!(session.handle_rtcp(start, rtcp_source, &report), Ok(()));
    assert_eq!(session.remote_rtcp(), rtcp_source);
    let stats = session.stats();
    assert!(stats.remote_fraction_lost.expect("peer report") > 0.4);
    assert!(
        session
            .handle_rtcp(start, rtcp_source, &[0x80, 200, 0, 40, 1, 2, 3, 4])
            .is_err()
    );
    assert_eq!(session.stats().invalid_rtcp_packets, 1);
}

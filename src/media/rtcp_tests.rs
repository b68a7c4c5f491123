//! Unit tests for RTCP statistics, report building and parsing.

use super::*;

const OUR_SSRC: u32 = 0x0A0B_0C0D;
const PEER_SSRC: u32 = 0x1111_2222;

fn clock(start: Instant) -> NtpClock {
    NtpClock::new(start, UNIX_EPOCH + Duration::from_secs(1_700_000_000))
}

fn parse(bytes: &[u8]) -> Vec<Box<dyn Packet + Send + Sync>> {
    ::rtcp::packet::unmarshal(&mut Bytes::copy_from_slice(bytes)).expect("parsable RTCP")
}

#[test]
fn ntp_time_follows_wall_clock_offset() {
    let start = Instant::now();
    let clock = NtpClock::new(start, UNIX_EPOCH + Duration::from_secs(1));
    assert_eq!(clock.ntp_time(start), (NTP_UNIX_OFFSET_SECONDS + 1) << 32);
    let later = clock.ntp_time(start + Duration::from_millis(1500));
    assert_eq!(later, ((NTP_UNIX_OFFSET_SECONDS + 2) << 32) | (1 << 31));
}

#[test]
fn loss_and_fraction_lost_follow_rfc_3550() {
    let start = Instant::now();
    let mut statistics = ReceptionStatistics::default();
    for sequence_number in (0..10u16).filter(|number| ![3, 4].contains(number)) {
        statistics.record(start, PEER_SSRC, sequence_number, 0);
    }
    assert_eq!(statistics.extended_highest_sequence(), 9);
    assert_eq!(statistics.cumulative_lost(), 2);
    let block = statistics.report_block(start).expect("block");
    assert_eq!(block.fraction_lost, (2 * 256 / 10) as u8);
    assert_eq!(block.total_lost, 2);
    // Next interval without loss reports a zero fraction but keeps the cumulative count.
    statistics.record(start, PEER_SSRC, 10, 0);
    let block = statistics.report_block(start).expect("block");
    assert_eq!((block.fraction_lost, block.total_lost), (0, 2));
}

#[test]
fn duplicates_make_loss_negative_but_report_clamps_to_zero() {
    let start = Instant::now();
    let mut statistics = ReceptionStatistics::default();
    for sequence_number in [1, 2, 2, 3] {
        statistics.record(start, PEER_SSRC, sequence_number, 0);
    }
    assert_eq!(statistics.cumulative_lost(), -1);
    assert_eq!(statistics.report_block(start).expect("block").total_lost, 0);
}

#[test]
fn extended_sequence_counts_wraparound_cycles() {
    let start = Instant::now();
    let mut statistics = ReceptionStatistics::default();
    for sequence_number in [65534, 65535, 0, 1] {
        statistics.record(start, PEER_SSRC, sequence_number, 0);
    }
    assert_eq!(statistics.extended_highest_sequence(), 65536 + 1);
    assert_eq!(statistics.cumulative_lost(), 0);
}

#[test]
fn jitter_is_reported_in_timestamp_units_and_milliseconds() {
    let start = Instant::now();
    let mut statistics = ReceptionStatistics::default();
    statistics.record(start, PEER_SSRC, 0, 0);
    statistics.record(start + Duration::from_millis(40), PEER_SSRC, 1, 160);
    assert!((statistics.jitter_timestamp_units() - 10.0).abs() < 1e-6);
    assert!((statistics.jitter_milliseconds() - 1.25).abs() < 1e-6);
}

#[test]
fn sender_report_is_parsable_and_carries_counts_block_and_cname() {
    let start = Instant::now();
    let mut state = RtcpState::new(OUR_SSRC, "hotline@example", clock(start));
    state.reception.record(start, PEER_SSRC, 7, 0);
    state.record_sent(160);
    state.record_sent(160);
    let bytes = state
        .build_report(start, 4242, true)
        .expect("report builds");
    let packets = parse(&bytes);
    assert_eq!(packets.len(), 2);
    let report = packets[0]
        .as_any()
        .downcast_ref::<SenderReport>()
        .expect("sender report first");
    assert_eq!(report.ssrc, OUR_SSRC);
    assert_eq!(report.rtp_time, 4242);
    assert_eq!((report.packet_count, report.octet_count), (2, 320));
    assert_eq!(report.ntp_time, clock(start).ntp_time(start));
    assert_eq!(report.reports.len(), 1);
    assert_eq!(report.reports[0].ssrc, PEER_SSRC);
    assert_eq!(report.reports[0].last_sequence_number, 7);
    let description = packets[1]
        .as_any()
        .downcast_ref::<SourceDescription>()
        .expect("SDES second");
    assert_eq!(description.chunks[0].items[0].text, "hotline@example");
}

#[test]
fn receiver_report_when_not_sending_and_no_block_before_receiving() {
    let start = Instant::now();
    let mut state = RtcpState::new(OUR_SSRC, &"x".repeat(400), clock(start));
    let bytes = state.build_report(start, 0, false).expect("report builds");
    let packets = parse(&bytes);
    let report = packets[0]
        .as_any()
        .downcast_ref::<ReceiverReport>()
        .expect("receiver report");
    assert!(report.reports.is_empty());
    let description = packets[1]
        .as_any()
        .downcast_ref::<SourceDescription>()
        .expect("SDES");
    assert_eq!(
        description.chunks[0].items[0].text.len(),
        MAXIMUM_CNAME_BYTES
    );
}

#[test]
fn round_trip_time_is_computed_from_echoed_sender_report() {
    let start = Instant::now();
    let mut ours = RtcpState::new(OUR_SSRC, "ours", clock(start));
    let mut peer = RtcpState::new(PEER_SSRC, "peer", clock(start));
    ours.record_sent(160);
    let our_report = ours.build_report(start, 0, true).expect("builds");
    // 50 ms one way, then the peer holds the report for 1 s before answering.
    let peer_received = start + Duration::from_millis(50);
    peer.handle_incoming(peer_received, &our_report)
        .expect("peer parses");
    peer.reception.record(peer_received, OUR_SSRC, 1, 0);
    let peer_report = peer
        .build_report(peer_received + Duration::from_secs(1), 0, false)
        .expect("builds");
    let incoming = ours
        .handle_incoming(start + Duration::from_millis(1100), &peer_report)
        .expect("parses");
    assert_eq!(incoming.sender_ssrc, Some(PEER_SSRC));
    let reception = incoming.reception.expect("block about us");
    let round_trip = reception.round_trip_time.expect("round trip");
    assert!(
        (round_trip.as_secs_f64() - 0.1).abs() < 0.001,
        "{round_trip:?}"
    );
    assert_eq!(ours.remote_reception(), Some(reception));
}

#[test]
fn unknown_packet_types_are_ignored_and_garbage_rejected() {
    let start = Instant::now();
    let mut state = RtcpState::new(OUR_SSRC, "ours", clock(start));
    let mut peer = RtcpState::new(PEER_SSRC, "peer", clock(start));
    let mut bytes = peer.build_report(start, 0, false).expect("builds");
    // An APP packet (PT 204) with name "TEST" and no data.
    bytes.extend_from_slice(&[0x80, 204, 0, 2, 0, 0, 0, 1, b'T', b'E', b'S', b'T']);
    let incoming = state.handle_incoming(start, &bytes).expect("parses");
    assert_eq!(incoming.sender_ssrc, Some(PEER_SSRC));

    assert!(matches!(
        state.handle_incoming(start, &[0x80, 201]),
        Err(MediaError::DatagramTooShort { .. })
    ));
    assert!(matches!(
        state.handle_incoming(start, &[0x40, 201, 0, 1, 0, 0, 0, 0]),
        Err(MediaError::UnsupportedVersion { version: 1 })
    ));
    assert!(matches!(
        state.handle_incoming(start, &[0x80, 201, 0, 9, 0, 0, 0, 0]),
        Err(MediaError::MalformedRtcp { .. })
    ));
    assert!(matches!(
        state.handle_incoming(start, &vec![0x80; 2000]),
        Err(MediaError::DatagramTooLong { .. })
    ));
}

#[test]
fn random_bytes_never_panic() {
    let start = Instant::now();
    let mut state = RtcpState::new(OUR_SSRC, "ours", clock(start));
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..20_000u32 {
        let length = (round % 120) as usize;
        let mut bytes: Vec<u8> = (0..length)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        if let Some(first) = bytes.first_mut() {
            // Keep the version valid most of the time so the parser itself gets exercised.
            *first = (*first & 0x3F) | 0x80;
        }
        if let (Some(length_word), true) = (bytes.get_mut(3), round % 2 == 0) {
            *length_word = (length / 4).saturating_sub(1) as u8;
        }
        let _ = state.handle_incoming(start, &bytes);
    }
}

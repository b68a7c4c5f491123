//! Unit tests for the jitter buffer, run on simulated time.

use super::*;

const SSRC: u32 = 0x1234_5678;

fn tick(start: Instant, index: u32) -> Instant {
    start + FRAME_DURATION * index
}

fn buffer() -> JitterBuffer<u16> {
    JitterBuffer::new(JitterConfig::default())
}

fn insert(buffer: &mut JitterBuffer<u16>, now: Instant, sequence_number: u16) -> InsertOutcome {
    let timestamp = u32::from(sequence_number).wrapping_mul(160);
    buffer.insert(now, SSRC, sequence_number, timestamp, sequence_number)
}

/// Pops until the buffer stops buffering, returning the first frame played.
fn pop_first(buffer: &mut JitterBuffer<u16>) -> Option<u16> {
    for _ in 0..20 {
        if let Some(frame) = buffer.pop() {
            return Some(frame);
        }
    }
    None
}

#[test]
fn plays_in_order_after_initial_buffering() {
    let start = Instant::now();
    let mut buffer = buffer();
    let mut played = Vec::new();
    for index in 0..50u32 {
        insert(&mut buffer, tick(start, index), index as u16 + 10);
        played.push(buffer.pop());
    }
    // Minimum delay 40 ms = 2 frames: nothing until two frames are buffered.
    assert_eq!(played[0], None);
    assert_eq!(played[1], Some(10));
    let frames: Vec<u16> = played.iter().flatten().copied().collect();
    assert_eq!(frames, (10..59).collect::<Vec<u16>>());
    assert_eq!(buffer.statistics().lost, 0);
}

#[test]
fn reordered_packets_play_in_sequence() {
    let start = Instant::now();
    let mut buffer = buffer();
    // (arrival tick, sequence number): 3 overtakes 2, 6 overtakes 5 and 4.
    let arrivals = [
        (0, 1),
        (1, 3),
        (1, 2),
        (3, 4),
        (3, 6),
        (4, 5),
        (5, 7),
        (6, 8),
    ];
    let mut played = Vec::new();
    for index in 0..12u32 {
        for &(_, sequence_number) in arrivals.iter().filter(|(tick, _)| *tick == index) {
            let timestamp = u32::from(sequence_number) * 160;
            let outcome = buffer.insert(
                tick(start, index),
                SSRC,
                sequence_number,
                timestamp,
                sequence_number,
            );
            assert_eq!(outcome, InsertOutcome::Accepted);
        }
        played.extend(buffer.pop());
    }
    let statistics = buffer.statistics();
    assert!(played.windows(2).all(|pair| pair[0] < pair[1]));
    assert_eq!(played.len() as u64 + statistics.dropped_for_catch_up, 8);
    assert_eq!(statistics.lost, 0);
}

#[test]
fn missing_frame_is_reported_as_lost() {
    let start = Instant::now();
    let mut buffer = buffer();
    for sequence_number in [1, 2, 4] {
        insert(&mut buffer, start, sequence_number);
    }
    assert_eq!(pop_first(&mut buffer), Some(1));
    assert_eq!(buffer.pop(), Some(2));
    assert_eq!(buffer.pop(), None);
    assert_eq!(buffer.pop(), Some(4));
    assert_eq!(buffer.statistics().lost, 1);
}

#[test]
fn duplicates_and_late_packets_are_discarded() {
    let start = Instant::now();
    let mut buffer = buffer();
    insert(&mut buffer, start, 1);
    insert(&mut buffer, start, 2);
    assert_eq!(insert(&mut buffer, start, 2), InsertOutcome::Duplicate);
    assert_eq!(pop_first(&mut buffer), Some(1));
    assert_eq!(insert(&mut buffer, start, 1), InsertOutcome::Late);
    let statistics = buffer.statistics();
    assert_eq!((statistics.duplicates, statistics.late), (1, 1));
}

#[test]
fn sequence_wraparound_is_continuous() {
    let start = Instant::now();
    let mut buffer = buffer();
    let sequence: Vec<u16> = (65530..=65535).chain(0..6).collect();
    let mut played = Vec::new();
    for (index, &sequence_number) in sequence.iter().enumerate() {
        let index = index as u32;
        buffer.insert(
            tick(start, index),
            SSRC,
            sequence_number,
            index * 160,
            sequence_number,
        );
        played.extend(buffer.pop());
    }
    assert_eq!(played, sequence[..sequence.len() - 1]);
    assert_eq!(buffer.statistics().resynchronisations, 0);
}

#[test]
fn ssrc_change_and_big_jump_resynchronise() {
    let start = Instant::now();
    let mut buffer = buffer();
    insert(&mut buffer, start, 100);
    insert(&mut buffer, start, 101);
    assert_eq!(pop_first(&mut buffer), Some(100));
    assert_eq!(
        buffer.insert(start, SSRC + 1, 7, 0, 7),
        InsertOutcome::Resynchronised
    );
    assert!(buffer.is_buffering());
    assert_eq!(
        buffer.insert(start, SSRC + 1, 5000, 0, 5000),
        InsertOutcome::Resynchronised
    );
    assert_eq!(buffer.statistics().resynchronisations, 2);
}

#[test]
fn backward_restart_needs_two_consecutive_packets() {
    let start = Instant::now();
    let mut buffer = buffer();
    insert(&mut buffer, start, 30000);
    assert_eq!(insert(&mut buffer, start, 10), InsertOutcome::Late);
    assert_eq!(
        insert(&mut buffer, start, 11),
        InsertOutcome::Resynchronised
    );
}

#[test]
fn burst_jitter_raises_delay_and_calm_lowers_it() {
    let start = Instant::now();
    let mut buffer = buffer();
    let mut sequence_number = 0u16;
    // Packets arrive in bursts of five every 100 ms.
    for index in 0..300u32 {
        if index % 5 == 4 {
            for _ in 0..5 {
                insert(&mut buffer, tick(start, index), sequence_number);
                sequence_number += 1;
            }
        }
        buffer.pop();
    }
    let raised = buffer.target_delay();
    assert!(raised >= Duration::from_millis(100), "target {raised:?}");
    assert!(raised <= Duration::from_millis(200));

    // Then the network calms down: one packet every 20 ms.
    for index in 300..800u32 {
        insert(&mut buffer, tick(start, index), sequence_number);
        sequence_number += 1;
        buffer.pop();
    }
    let lowered = buffer.target_delay();
    assert_eq!(lowered, Duration::from_millis(40));
    assert!(buffer.statistics().dropped_for_catch_up > 0);
    assert!(buffer.depth_frames() <= 2 + CATCH_UP_MARGIN_FRAMES);
}

#[test]
fn target_respects_configured_bounds() {
    let start = Instant::now();
    let config = JitterConfig {
        minimum_delay: Duration::from_millis(60),
        maximum_delay: Duration::from_millis(80),
    };
    let mut buffer: JitterBuffer<u16> = JitterBuffer::new(config);
    assert_eq!(buffer.target_delay(), Duration::from_millis(60));
    for sequence_number in 0..50u16 {
        let arrival = tick(start, u32::from(sequence_number) * 3);
        buffer.insert(arrival, SSRC, sequence_number, 0, sequence_number);
    }
    assert_eq!(buffer.target_delay(), Duration::from_millis(80));
}

#[test]
fn interarrival_jitter_is_zero_for_perfect_timing() {
    let start = Instant::now();
    let mut jitter = InterarrivalJitter::default();
    for index in 0..10u32 {
        jitter.record(tick(start, index), index * 160);
    }
    assert!(jitter.timestamp_units() < 1e-9);
    jitter.record(tick(start, 12), 10 * 160);
    assert!((jitter.timestamp_units() - 320.0 / 16.0).abs() < 1e-6);
}

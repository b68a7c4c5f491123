//! Tests of barge-in detection on the speech fixtures, on simulated time: frame `n` ends at
//! `(n + 1) × 20 ms`, which is when a real-time caller could act on its decision.

use std::time::Duration;

use super::speech_test_signals::{
    FIXTURE_RATE, UTTERANCES, load, mu_law_round_trip, noise_level, padded, reference_boundaries,
    with_noise,
};
use super::{BargeIn, BargeInConfig, BargeInDetector, frames_duration};

const LEAD_IN: Duration = Duration::from_secs(1);
const MINIMUM_SPEECH: Duration = Duration::from_millis(250);
/// Latest allowed firing time after the reference onset plus the minimum speech.
const MAXIMUM_LATENCY: Duration = Duration::from_millis(200);
/// How much earlier than the reference onset plus the minimum it may fire (onset tolerance).
const ONSET_TOLERANCE: Duration = Duration::from_millis(100);

fn barge_ins(samples: &[i16], detector: &mut BargeInDetector) -> Vec<BargeIn> {
    samples
        .chunks_exact(detector.frame_samples())
        .filter_map(|frame| detector.handle_frame(frame).expect("20 ms frame"))
        .collect()
}

fn detector() -> BargeInDetector {
    let config = BargeInConfig {
        minimum_speech: MINIMUM_SPEECH,
        ..BargeInConfig::default()
    };
    BargeInDetector::new(FIXTURE_RATE, &config).expect("valid config")
}

/// Checks that speech `name`, arriving as `signal` after `LEAD_IN`, stops the prompt in time.
fn assert_fires_in_time(name: &str, signal: &[i16], added_noise_rms: f64) {
    let (start, _) = reference_boundaries(&load(name), added_noise_rms);
    let reference_onset = LEAD_IN + Duration::from_secs_f64(start as f64 / 8000.0);
    let fired = barge_ins(signal, &mut detector());
    let [barge_in] = fired.as_slice() else {
        panic!("{name}: expected one barge-in, got {fired:?}");
    };
    let decided_at = frames_duration(barge_in.frame_index + 1);
    let due = reference_onset + MINIMUM_SPEECH;
    assert!(
        decided_at <= due + MAXIMUM_LATENCY && decided_at + ONSET_TOLERANCE >= due,
        "{name}: fired at {decided_at:?}, speech began at {reference_onset:?}"
    );
}

#[test]
fn speech_stops_the_prompt_within_200_ms_of_the_minimum() {
    for name in UTTERANCES {
        assert_fires_in_time(name, &padded(&load(name), LEAD_IN, LEAD_IN), 0.0);
    }
}

#[test]
fn speech_in_telephone_noise_stops_the_prompt_within_200_ms_of_the_minimum() {
    for name in UTTERANCES {
        let speech = load(name);
        let level = noise_level(&speech, 15.0);
        let noisy = with_noise(&padded(&speech, LEAD_IN, LEAD_IN), level);
        assert_fires_in_time(name, &mu_law_round_trip(&noisy), level);
    }
}

#[test]
fn coughs_and_clicks_never_stop_the_prompt() {
    let gap = vec![0i16; 2400];
    let mut signal = gap.clone();
    for burst in ["noise-cough", "noise-click", "noise-cough", "noise-cough"] {
        signal.extend(load(burst));
        signal.extend(&gap);
    }
    let noisy = with_noise(&signal, noise_level(&load("talk-to-a-person"), 15.0));
    for candidate in [signal, mu_law_round_trip(&noisy)] {
        assert_eq!(barge_ins(&candidate, &mut detector()), Vec::new());
    }
}

#[test]
fn it_fires_once_per_prompt_until_reset() {
    let speech = padded(&load("where-is-my-order"), LEAD_IN, LEAD_IN);
    let mut detector = detector();
    assert_eq!(barge_ins(&speech, &mut detector).len(), 1);
    assert_eq!(barge_ins(&speech, &mut detector), Vec::new());
    detector.reset();
    let second = barge_ins(&speech, &mut detector);
    assert_eq!(second.len(), 1);
    assert!(second[0].onset_frame_index >= 2 * speech.len() as u64 / 160);
}

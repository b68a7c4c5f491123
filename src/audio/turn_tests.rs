//! Tests of voice activity and end-of-turn detection on the speech fixtures, on simulated time:
//! frame `n` is at `n × 20 ms`.

use std::time::Duration;

use super::speech_test_signals::{
    FIXTURE_RATE, UTTERANCES, frame_of_sample, load, mu_law_round_trip, noise_level, padded,
    reference_boundaries, with_noise,
};
use super::{
    AudioError, BargeInDetector, EndReason, TurnConfig, TurnDetector, TurnEvent, VoiceActivity,
    VoiceActivityConfig, f32_to_i16, i16_to_f32, resample,
};

/// Allowed distance between a detected boundary and the reference one: 100 ms.
const TOLERANCE_FRAMES: i64 = 5;
const LEAD_IN: Duration = Duration::from_secs(1);
const TAIL: Duration = Duration::from_millis(1500);

fn run(samples: &[i16], sample_rate: u32, config: &TurnConfig) -> Vec<TurnEvent> {
    let mut detector = TurnDetector::new(sample_rate, config).expect("valid config");
    let mut events = Vec::new();
    for frame in samples.chunks_exact(detector.frame_samples()) {
        detector.handle_frame(frame).expect("20 ms frame");
        events.extend(std::iter::from_fn(|| detector.poll_event()));
    }
    events
}

/// The single utterance in `events` as (onset frame, end frame, utterance samples, reason).
fn single_utterance(events: &[TurnEvent], name: &str) -> (u64, u64, usize, EndReason) {
    let starts: Vec<u64> = events
        .iter()
        .filter_map(|event| match event {
            TurnEvent::SpeechStarted { frame_index } => Some(*frame_index),
            _ => None,
        })
        .collect();
    let ends: Vec<(u64, usize, EndReason)> = events
        .iter()
        .filter_map(|event| match event {
            TurnEvent::SpeechEnded {
                utterance,
                end_frame_index,
                reason,
                ..
            } => Some((*end_frame_index, utterance.len(), *reason)),
            _ => None,
        })
        .collect();
    assert_eq!((starts.len(), ends.len()), (1, 1), "{name}: {events:?}");
    (starts[0], ends[0].0, ends[0].1, ends[0].2)
}

/// Checks that the turn found in `signal` (the fixture `name` after `LEAD_IN`, with noise of
/// RMS `added_noise_rms`) matches the fixture's reference boundaries within the tolerance.
fn assert_boundaries(name: &str, signal: &[i16], added_noise_rms: f64) {
    let speech = load(name);
    let (start, end) = reference_boundaries(&speech, added_noise_rms);
    let offset = (LEAD_IN.as_secs_f64() * f64::from(FIXTURE_RATE)) as usize;
    let (onset, end_frame, utterance_samples, reason) =
        single_utterance(&run(signal, FIXTURE_RATE, &TurnConfig::default()), name);
    let expected_onset = frame_of_sample(offset + start, 160);
    let expected_end = frame_of_sample(offset + end, 160);
    assert!(
        (onset as i64 - expected_onset).abs() <= TOLERANCE_FRAMES,
        "{name}: onset frame {onset}, reference {expected_onset}"
    );
    assert!(
        (end_frame as i64 - expected_end).abs() <= TOLERANCE_FRAMES,
        "{name}: end frame {end_frame}, reference {expected_end}"
    );
    assert_eq!(reason, EndReason::TrailingSilence, "{name}");
    let pre_roll_samples = 2400;
    assert_eq!(
        utterance_samples,
        pre_roll_samples + (end_frame - onset) as usize * 160,
        "{name}: utterance holds the pre-roll and the speech"
    );
}

#[test]
fn utterances_are_found_within_100_ms_of_their_boundaries() {
    for name in UTTERANCES {
        let signal = padded(&load(name), LEAD_IN, TAIL);
        assert_boundaries(name, &signal, 0.0);
    }
}

#[test]
fn utterances_in_telephone_noise_are_found_within_100_ms() {
    for name in UTTERANCES {
        let speech = load(name);
        let level = noise_level(&speech, 15.0);
        let noisy = with_noise(&padded(&speech, LEAD_IN, TAIL), level);
        assert_boundaries(name, &mu_law_round_trip(&noisy), level);
    }
}

#[test]
fn utterances_at_16_khz_are_found() {
    let speech = load("talk-to-a-person");
    let signal = padded(&speech, LEAD_IN, TAIL);
    let wideband = f32_to_i16(&resample(&i16_to_f32(&signal), 8000, 16000).expect("resample"));
    let events = run(&wideband, 16000, &TurnConfig::default());
    let (onset, end_frame, _, _) = single_utterance(&events, "talk-to-a-person at 16 kHz");
    let (start, end) = reference_boundaries(&speech, 0.0);
    assert!((onset as i64 - frame_of_sample(8000 + start, 160)).abs() <= TOLERANCE_FRAMES);
    assert!((end_frame as i64 - frame_of_sample(8000 + end, 160)).abs() <= TOLERANCE_FRAMES);
}

#[test]
fn coughs_clicks_and_noise_start_no_turn() {
    let cough = load("noise-cough");
    let click = load("noise-click");
    let gap = vec![0i16; 4000];
    let mut signal = Vec::new();
    for _ in 0..3 {
        signal.extend(&gap);
        signal.extend(&cough);
        signal.extend(&gap);
        signal.extend(&click);
    }
    let noisy_line = with_noise(&signal, noise_level(&load("yes"), 15.0));
    for candidate in [signal, mu_law_round_trip(&noisy_line)] {
        let events = run(&candidate, FIXTURE_RATE, &TurnConfig::default());
        assert!(events.is_empty(), "{events:?}");
    }
}

#[test]
fn steady_line_noise_starts_no_turn() {
    let noise = load("noise-pink");
    let signal = padded(&[noise.clone(), noise].concat(), LEAD_IN, Duration::ZERO);
    let events = run(
        &mu_law_round_trip(&signal),
        FIXTURE_RATE,
        &TurnConfig::default(),
    );
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn long_speech_is_cut_at_the_maximum_length() {
    let config = TurnConfig {
        maximum_utterance: Duration::from_secs(1),
        ..TurnConfig::default()
    };
    let speech = load("human-made-amiable");
    let events = run(&padded(&speech, LEAD_IN, TAIL), FIXTURE_RATE, &config);
    let first_end = events.iter().find_map(|event| match event {
        TurnEvent::SpeechEnded {
            utterance,
            speech_duration,
            reason,
            ..
        } => Some((utterance.len(), *speech_duration, *reason)),
        _ => None,
    });
    assert_eq!(
        first_end,
        Some((
            2400 + 8000,
            Duration::from_secs(1),
            EndReason::MaximumLength
        ))
    );
}

#[test]
fn a_pause_is_signalled_before_the_turn_ends() {
    let events = run(
        &padded(&load("one-to-five"), LEAD_IN, TAIL),
        FIXTURE_RATE,
        &TurnConfig::default(),
    );
    let last_pause = events.iter().rev().find_map(|event| match event {
        TurnEvent::SpeechPaused {
            frame_index,
            utterance,
        } => Some((*frame_index, utterance.clone())),
        _ => None,
    });
    let Some(TurnEvent::SpeechEnded {
        end_frame_index,
        utterance,
        ..
    }) = events.last()
    else {
        panic!("turn did not end: {events:?}");
    };
    assert_eq!(last_pause, Some((*end_frame_index, utterance.clone())));
    let pauses = events
        .iter()
        .filter(|event| matches!(event, TurnEvent::SpeechPaused { .. }))
        .count();
    let resumes = events
        .iter()
        .filter(|event| matches!(event, TurnEvent::SpeechResumed { .. }))
        .count();
    assert_eq!(pauses, resumes + 1, "{events:?}");
}

#[test]
fn digital_silence_and_very_low_noise_are_never_speech() {
    let mut detector = VoiceActivity::new(8000, &VoiceActivityConfig::default()).expect("8 kHz");
    let silence = [0i16; 160];
    let faint: Vec<i16> = load("noise-pink")[..160]
        .iter()
        .map(|&sample| sample / 20)
        .collect();
    for _ in 0..50 {
        assert!(!detector.is_speech(&silence).expect("frame"));
        assert!(!detector.is_speech(&faint).expect("frame"));
    }
}

#[test]
fn bad_frames_rates_and_settings_are_errors() {
    let mut detector = VoiceActivity::new(8000, &VoiceActivityConfig::default()).expect("8 kHz");
    assert!(matches!(
        detector.is_speech(&[]),
        Err(AudioError::FrameLength {
            expected: 160,
            actual: 0
        })
    ));
    assert!(matches!(
        VoiceActivity::new(11025, &VoiceActivityConfig::default()),
        Err(AudioError::UnsupportedVoiceActivityRate { sample_rate: 11025 })
    ));
    let config = TurnConfig {
        pause_after: Duration::from_secs(1),
        ..TurnConfig::default()
    };
    assert!(matches!(
        TurnDetector::new(8000, &config),
        Err(AudioError::SpeechSetting {
            setting: "pause_after",
            ..
        })
    ));
}

#[test]
fn config_reads_humantime_durations_and_fills_defaults() {
    let config: TurnConfig = toml::from_str(
        "trailing_silence = \"900ms\"\nmaximum_utterance = \"20s\"\n\
         [voice_activity]\naggressiveness = \"very-aggressive\"\n",
    )
    .expect("valid turn config");
    assert_eq!(config.trailing_silence, Duration::from_millis(900));
    assert_eq!(config.maximum_utterance, Duration::from_secs(20));
    assert_eq!(config.minimum_speech, Duration::from_millis(200));
    assert_eq!(config.pre_roll, Duration::from_millis(300));
    assert_eq!(
        config.voice_activity.aggressiveness,
        super::Aggressiveness::VeryAggressive
    );
    assert!(toml::from_str::<TurnConfig>("trailing_silence = \"soon\"").is_err());
    assert!(toml::from_str::<TurnConfig>("trailing = \"1s\"").is_err());
}

#[test]
fn detectors_can_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<VoiceActivity>();
    assert_send::<TurnDetector>();
    assert_send::<BargeInDetector>();
}

#[test]
fn a_paused_turn_can_be_ended_before_its_trailing_silence() {
    let config = TurnConfig::default();
    let samples = padded(&load("yes"), LEAD_IN, TAIL);
    let mut detector = TurnDetector::new(FIXTURE_RATE, &config).expect("valid config");
    let mut paused = None;
    let mut ended = None;
    for frame in samples.chunks_exact(detector.frame_samples()) {
        detector.handle_frame(frame).expect("20 ms frame");
        while let Some(event) = detector.poll_event() {
            match event {
                TurnEvent::SpeechPaused { utterance, .. } => paused = Some(utterance),
                TurnEvent::SpeechResumed { .. } => paused = None,
                TurnEvent::SpeechEnded {
                    utterance, reason, ..
                } => ended = Some((utterance, reason)),
                TurnEvent::SpeechStarted { .. } => {
                    assert!(
                        !detector.end_paused_turn(),
                        "a speaking turn cannot be ended"
                    );
                }
            }
        }
        if paused.is_some() && ended.is_none() {
            assert!(detector.end_paused_turn());
        }
    }
    let (utterance, reason) = ended.expect("the turn ended");
    assert_eq!(reason, EndReason::Answered);
    assert_eq!(Some(utterance), paused);
    assert!(!detector.end_paused_turn(), "no turn is left to end");
}

#[test]
fn the_end_of_the_stream_ends_a_turn_in_progress() {
    let config = TurnConfig::default();
    let speech = load("where-is-my-order");
    // The stream stops in the middle of the utterance.
    let samples = padded(&speech[..speech.len() / 2], LEAD_IN, Duration::ZERO);
    let mut detector = TurnDetector::new(FIXTURE_RATE, &config).expect("valid config");
    for frame in samples.chunks_exact(detector.frame_samples()) {
        detector.handle_frame(frame).expect("20 ms frame");
    }
    while detector.poll_event().is_some() {}
    detector.end_of_stream();
    let Some(TurnEvent::SpeechEnded {
        utterance, reason, ..
    }) = detector.poll_event()
    else {
        panic!("the turn in progress did not end");
    };
    assert_eq!(reason, EndReason::EndOfStream);
    assert!(utterance.len() >= speech.len() / 4, "{}", utterance.len());
    detector.end_of_stream();
    assert_eq!(detector.poll_event(), None, "only one turn ends");
}
